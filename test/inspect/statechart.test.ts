import { describe, expect, it } from 'vitest';
import { and, not, setup } from 'xstate';
import { activationMachine } from '../../machines/activation.js';
import { activeNodeIds, toMermaid, toStatechartModel } from '../../src/inspect/index.js';

/** The raw config, walked on its own terms: the expectations never reuse the generator's walk. */
interface RawNode {
  states?: Record<string, RawNode>;
  on?: Record<string, unknown>;
  after?: Record<string, unknown>;
  always?: unknown;
  invoke?: RawInvoke | RawInvoke[];
}
interface RawInvoke {
  src: string;
  onDone?: unknown;
  onError?: unknown;
}

function walkConfig(node: RawNode, visit: (node: RawNode, path: string[]) => void, path: string[] = []): void {
  visit(node, path);
  for (const [key, child] of Object.entries(node.states ?? {})) walkConfig(child, visit, [...path, key]);
}

function guardsIn(transitions: unknown): string[] {
  const list = Array.isArray(transitions) ? transitions : [transitions];
  return list.flatMap((t) => {
    const guard = (t as { guard?: unknown } | undefined)?.guard;
    return typeof guard === 'string'
      ? [guard]
      : typeof (guard as { type?: unknown })?.type === 'string'
        ? [(guard as { type: string }).type]
        : [];
  });
}

const config = activationMachine.config as unknown as RawNode;
const mermaid = toMermaid(activationMachine);
/** The text Mermaid shows on edges, inside states and in notes. */
const labels = mermaid
  .split('\n')
  .filter((line) => line.includes(' : '))
  .map((line) => line.slice(line.indexOf(' : ') + 3));

describe('toMermaid(activationMachine)', () => {
  it('is a stateDiagram-v2 generated from the definition', () => {
    expect(mermaid.startsWith('stateDiagram-v2\n')).toBe(true);
  });

  it('declares every state node of the machine, nested as in the machine', () => {
    const paths: string[][] = [];
    walkConfig(config, (_, path) => path.length > 0 && paths.push(path));
    expect(paths.length).toBeGreaterThan(10);
    for (const path of paths) {
      const id = path.join('_');
      const key = path.at(-1)!;
      expect(mermaid, `state ${path.join('.')}`).toMatch(new RegExp(`^\\s*state "${key}" as ${id}( \\{)?$`, 'm'));
    }
    // Nesting: a child is declared more indented than its parent.
    const indent = (id: string) =>
      /^(\s*)state /.exec(
        mermaid.split('\n').find((line) => line.endsWith(` as ${id}`) || line.endsWith(` as ${id} {`))!,
      )![1]!.length;
    expect(indent('visitor_secured_activation_active')).toBeGreaterThan(indent('visitor_secured_activation'));
    expect(indent('visitor_secured_activation')).toBeGreaterThan(indent('visitor_secured'));
    expect(indent('visitor_secured')).toBeGreaterThan(indent('visitor'));
    expect(indent('tag_ready_activating_waiting')).toBeGreaterThan(indent('tag_ready_activating'));
  });

  it('names every event the machine handles (from machine.events and from the config)', () => {
    const fromConfig = new Set<string>();
    walkConfig(config, (node) => Object.keys(node.on ?? {}).forEach((event) => fromConfig.add(event)));
    const fromMachine = activationMachine.events.filter((event) => !event.startsWith('xstate.'));
    expect(new Set(fromMachine)).toEqual(fromConfig);
    for (const event of fromConfig) {
      expect(
        labels.some((label) => new RegExp(`(^|[ ,])${event}\\b`).test(label)),
        event,
      ).toBe(true);
    }
  });

  it('labels delayed, eventless and actor-outcome transitions', () => {
    walkConfig(config, (node, path) => {
      for (const delay of Object.keys(node.after ?? {}))
        expect(labels, `${path.join('.')} after ${delay}`).toContainEqual(
          expect.stringMatching(new RegExp(`^after ${delay}\\b`)),
        );
      for (const invoked of [node.invoke ?? []].flat()) {
        if (invoked.onDone !== undefined)
          expect(labels).toContainEqual(expect.stringMatching(new RegExp(`^done ${invoked.src}\\b`)));
        if (invoked.onError !== undefined)
          expect(labels).toContainEqual(expect.stringMatching(new RegExp(`^error ${invoked.src}\\b`)));
      }
      for (const guard of guardsIn(node.always)) expect(labels).toContain(`[always] ${guard}`);
    });
    expect(mermaid).toContain('visitor_anonymous_choosing --> visitor_anonymous_activating : [always] else');
    expect(mermaid).toContain('visitor_fetchingToken --> visitor_failed : after tokenFetchTimeout [else]');
    expect(mermaid).toContain('tag_ready_activating_overdue --> tag_ready_idle : after lateAnswerBound');
  });

  it('puts every guard the config names in a label', () => {
    const guards = new Set<string>();
    walkConfig(config, (node) => {
      for (const transitions of [...Object.values(node.on ?? {}), ...Object.values(node.after ?? {}), node.always])
        guardsIn(transitions).forEach((g) => guards.add(g));
      for (const invoked of [node.invoke ?? []].flat())
        [...guardsIn(invoked.onDone), ...guardsIn(invoked.onError)].forEach((g) => guards.add(g));
    });
    expect(guards.size).toBeGreaterThan(5);
    for (const guard of guards) expect(mermaid, guard).toMatch(new RegExp(`\\[${guard}[\\](]|\\[always\\] ${guard}`));
  });

  it("shows targetless transitions inside their state, and a composite state's as a note", () => {
    expect(mermaid).toContain('visitor_fetchingToken : SIGN_IN [else] / nothing');
    expect(mermaid).toContain('visitor_secured_activation_active : SIGN_IN [sameVisitorServed] / nothing');
    expect(mermaid).toContain('visitor_secured_token_refreshing : TOKEN_REQUESTED [else] / queueTokenRequest');
    expect(mermaid).toContain('visitor_secured_token_fresh : TOKEN_REQUESTED [staleTokenRequest] / refuseTokenRequest');
    // The visitor region's handler: beside its first state, never drawn as an arrow.
    expect(mermaid).toMatch(
      /note right of visitor_signedOut : in any visitor state \(unless handled there\), TOKEN_REQUESTED \/ refuseTokenRequest/,
    );
    expect(mermaid).not.toMatch(/--> \w+ : TOKEN_REQUESTED \/|^\s*visitor : /m);
  });

  it('separates parallel regions and marks initial states', () => {
    // The root is parallel: Mermaid takes `--` only inside a state, so the root gets a box named
    // after the machine, holding its two regions and no initial state of its own.
    expect(mermaid).toMatch(
      /\n {2}state "activation" as activation \{\n {4}state "tag" as tag \{\n[\s\S]*\n {4}\}\n {4}--\n {4}state "visitor" as visitor \{\n[\s\S]*\n {2}\}\n$/,
    );
    expect(mermaid).not.toMatch(/^ {2,4}\[\*\] -->/m);
    expect(mermaid).toMatch(
      /state "secured" as visitor_secured \{\n\s+state "activation" as visitor_secured_activation \{[\s\S]*\n\s+--\n\s+state "token" as visitor_secured_token \{/,
    );
    expect(mermaid).toContain('[*] --> tag_loading');
    expect(mermaid).toContain('[*] --> tag_ready_idle');
    expect(mermaid).toContain('[*] --> visitor_signedOut');
    expect(mermaid).toContain('[*] --> visitor_secured_activation_activating');
    expect(mermaid).toContain('[*] --> visitor_secured_token_fresh');
  });

  it('only uses statements Mermaid parses, with balanced blocks', () => {
    const statement = [
      /^stateDiagram-v2$/,
      /^%% .*$/,
      /^state "[^":;#]+" as \w+( \{)?$/,
      /^\}$/,
      /^--$/,
      /^(\[\*\]|\w+) --> (\[\*\]|\w+)( : [^:;#]+)?$/,
      /^\w+ : [^:;#]+$/,
      /^note right of \w+ : [^:;#]+$/,
    ];
    let depth = 0;
    for (const line of mermaid
      .trimEnd()
      .split('\n')
      .map((l) => l.trim())) {
      expect(
        statement.some((pattern) => pattern.test(line)),
        line,
      ).toBe(true);
      depth += line.endsWith('{') ? 1 : line === '}' ? -1 : 0;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
  });
});

describe('toStatechartModel', () => {
  const model = toStatechartModel(activationMachine);
  const node = (id: string) => model.nodes.find((n) => n.id === id)!;

  it('lists every node with its parent, type, initial child and invoked actors', () => {
    expect(model.id).toBe('activation');
    expect(model.nodes[0]).toMatchObject({
      id: 'activation',
      parent: undefined,
      path: [],
      type: 'parallel',
      initial: undefined,
    });
    expect(node('activation.tag')).toMatchObject({
      type: 'compound',
      parent: 'activation',
      path: ['tag'],
      initial: 'activation.tag.loading',
    });
    expect(node('activation.tag.loading')).toMatchObject({
      type: 'atomic',
      parent: 'activation.tag',
      invoke: ['loadTag'],
    });
    expect(node('activation.visitor')).toMatchObject({
      type: 'compound',
      parent: 'activation',
      path: ['visitor'],
      initial: 'activation.visitor.signedOut',
    });
    expect(node('activation.visitor.secured')).toMatchObject({
      type: 'parallel',
      parent: 'activation.visitor',
      initial: undefined,
      exit: ['refuseWaitingRequests', 'forgetWaitingRequests', 'forgetToken'],
    });
    expect(node('activation.tag.ready.activating')).toMatchObject({
      type: 'compound',
      parent: 'activation.tag.ready',
      path: ['tag', 'ready', 'activating'],
      initial: 'activation.tag.ready.activating.waiting',
      entry: ['startActivation'],
      invoke: ['activateTag'],
    });
    expect(node('activation.visitor.failed')).toMatchObject({
      type: 'atomic',
      entry: ['announceFailure'],
      description: expect.stringContaining('only the site leaves it'),
    });
  });

  it('gives alternatives of one trigger different labels, parameterised guards included', () => {
    const seen = new Map<string, string>();
    for (const edge of model.edges) {
      const key = `${edge.source} ${edge.label}`;
      const targets = edge.targets.join(',');
      expect(seen.get(key) ?? targets, `${key} leads to two places`).toBe(targets);
      seen.set(key, targets);
    }
    expect([...seen.keys()]).toContain(
      'activation.visitor.secured.activation.activating SIGN_IN [otherVisitor(overSession=true)]',
    );
  });

  it('describes each edge by kind, trigger, guard and actions', () => {
    const from = (source: string) => model.edges.filter((e) => e.source === `activation.${source}`);
    expect(from('visitor.fetchingToken').map((e) => e.label)).toEqual([
      'SIGN_IN [otherVisitor]',
      'SIGN_IN [else]',
      'SIGN_OUT [tagMayHoldSession]',
      'SIGN_OUT [else]',
      'done fetchToken',
      'error fetchToken [anonymousOnTokenFailure]',
      'error fetchToken [else]',
      'after tokenFetchTimeout [anonymousOnTokenFailure]',
      'after tokenFetchTimeout [else]',
    ]);
    expect(from('visitor.fetchingToken')[0]).toMatchObject({
      kind: 'event',
      trigger: 'SIGN_IN',
      guard: 'otherVisitor',
      targets: ['activation.visitor.fetchingToken'],
      actions: ['beginSignIn'],
    });
    expect(from('visitor.fetchingToken')[1]).toMatchObject({
      kind: 'event',
      trigger: 'SIGN_IN',
      targets: [],
      actions: [],
      description: expect.stringContaining('Absorbed'),
    });
    expect(from('visitor.fetchingToken')[4]).toMatchObject({
      kind: 'done',
      trigger: 'fetchToken',
      targets: ['activation.visitor.secured'],
      actions: ['storeToken'],
    });
    expect(from('visitor.anonymous.choosing')).toMatchObject([
      { kind: 'always', guard: 'tagIsAnonymous', otherwise: false, targets: ['activation.visitor.anonymous.active'] },
      { kind: 'always', guard: undefined, otherwise: true, targets: ['activation.visitor.anonymous.activating'] },
    ]);
    expect(from('visitor.secured.token.fresh').find((e) => e.kind === 'after')).toMatchObject({
      trigger: 'tokenTtl',
      label: 'after tokenTtl',
    });
    // Parameterised guards are named by their type and params, so alternatives differ.
    expect(from('visitor.secured.activation.activating').find((e) => e.trigger === 'tag.activated')).toMatchObject({
      kind: 'event',
      guard: 'answerAwaited(mode=secured, ok=true)',
      targets: ['activation.visitor.secured.activation.active'],
      actions: ['announceActivated'],
    });
    // The region's handler, targetless, on the region itself.
    expect(from('visitor')).toMatchObject([
      { kind: 'event', trigger: 'TOKEN_REQUESTED', targets: [], actions: ['refuseTokenRequest'] },
    ]);
  });

  it('names the active nodes of a state value, ancestors included', () => {
    expect(
      activeNodeIds(model, { tag: { ready: 'idle' }, visitor: { secured: { activation: 'active', token: 'spent' } } }),
    ).toEqual([
      'activation',
      'activation.tag',
      'activation.tag.ready',
      'activation.tag.ready.idle',
      'activation.visitor',
      'activation.visitor.secured',
      'activation.visitor.secured.activation',
      'activation.visitor.secured.activation.active',
      'activation.visitor.secured.token',
      'activation.visitor.secured.token.spent',
    ]);
    expect(activeNodeIds(model, { tag: 'loading', visitor: 'signedOut' })).toEqual([
      'activation',
      'activation.tag',
      'activation.tag.loading',
      'activation.visitor',
      'activation.visitor.signedOut',
    ]);
  });
});

describe('other shapes of machine', () => {
  const machine = setup({
    guards: { ready: () => true, open: () => true, fits: (_, _params: { size: { w: number } }) => true },
    actions: { greet: () => undefined },
  }).createMachine({
    id: 'door',
    initial: 'closed',
    on: { SLAM: '.closed', PING: { actions: 'greet' } },
    states: {
      closed: {
        on: {
          OPEN: { guard: and(['ready', not('open')]), target: 'opened' },
          PUSH: { guard: { type: 'fits', params: { size: { w: 2 } } }, target: 'opened' },
        },
        after: { 500: 'locked' },
      },
      locked: { type: 'final' },
      opened: {
        initial: 'wide',
        on: { KNOCK: { actions: 'greet' } },
        states: { wide: {} },
      },
    },
  });

  it('labels numeric delays, combined guards and final states', () => {
    const text = toMermaid(machine);
    expect(text).toContain('closed --> opened : OPEN [and(ready, not(open))]');
    // An object param is written out, not as [object Object] (Mermaid's text drops its quotes and colons).
    expect(toStatechartModel(machine).edges.map((edge) => edge.label)).toContain('PUSH [fits(size={"w":2})]');
    expect(text).toContain('closed --> locked : after 500ms');
    expect(text).toContain('locked --> [*]');
  });

  it('notes the targetless and root transitions of composite states', () => {
    const text = toMermaid(machine);
    expect(text).toContain('note right of opened_wide : in any opened state (unless handled there), KNOCK / greet');
    expect(text).toContain('note right of closed : from any state, SLAM to closed');
    expect(text).toContain('note right of closed : in any state (unless handled there), PING / greet');
  });
});
