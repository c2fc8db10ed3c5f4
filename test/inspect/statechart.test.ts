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
    return typeof guard === 'string' ? [guard] : typeof (guard as { type?: unknown })?.type === 'string' ? [(guard as { type: string }).type] : [];
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
    const indent = (id: string) => /^(\s*)state /.exec(mermaid.split('\n').find((line) => line.endsWith(` as ${id}`) || line.endsWith(` as ${id} {`))!)![1]!.length;
    expect(indent('secured_tag_active')).toBeGreaterThan(indent('secured_tag'));
    expect(indent('secured_tag')).toBeGreaterThan(indent('secured'));
  });

  it('names every event the machine handles (from machine.events and from the config)', () => {
    const fromConfig = new Set<string>();
    walkConfig(config, (node) => Object.keys(node.on ?? {}).forEach((event) => fromConfig.add(event)));
    const fromMachine = activationMachine.events.filter((event) => !event.startsWith('xstate.'));
    expect(new Set(fromMachine)).toEqual(fromConfig);
    for (const event of fromConfig) {
      expect(labels.some((label) => new RegExp(`(^|[ ,])${event}\\b`).test(label)), event).toBe(true);
    }
  });

  it('labels delayed, eventless and actor-outcome transitions', () => {
    walkConfig(config, (node, path) => {
      for (const delay of Object.keys(node.after ?? {})) expect(labels, `${path.join('.')} after ${delay}`).toContainEqual(expect.stringMatching(new RegExp(`^after ${delay}\\b`)));
      for (const invoked of [node.invoke ?? []].flat()) {
        if (invoked.onDone !== undefined) expect(labels).toContainEqual(expect.stringMatching(new RegExp(`^done ${invoked.src}\\b`)));
        if (invoked.onError !== undefined) expect(labels).toContainEqual(expect.stringMatching(new RegExp(`^error ${invoked.src}\\b`)));
      }
      for (const guard of guardsIn(node.always)) expect(labels).toContain(`[always] ${guard}`);
    });
    expect(mermaid).toContain('anonymous_choosing --> anonymous_activating : [always] else');
    expect(mermaid).toContain('fetchingToken --> failed : after tokenFetchTimeout [else]');
  });

  it('puts every guard the config names in a label', () => {
    const guards = new Set<string>();
    walkConfig(config, (node) => {
      for (const transitions of [...Object.values(node.on ?? {}), ...Object.values(node.after ?? {}), node.always]) guardsIn(transitions).forEach((g) => guards.add(g));
      for (const invoked of [node.invoke ?? []].flat()) [...guardsIn(invoked.onDone), ...guardsIn(invoked.onError)].forEach((g) => guards.add(g));
    });
    expect(guards.size).toBeGreaterThan(5);
    for (const guard of guards) expect(mermaid, guard).toMatch(new RegExp(`\\[${guard}\\]|\\[always\\] ${guard}`));
  });

  it('shows targetless transitions inside their state, and the root ones as a note', () => {
    expect(mermaid).toContain('fetchingToken : SIGN_IN [else] / nothing');
    expect(mermaid).toContain('secured_tag_active : SIGN_IN [sameVisitor] / nothing');
    expect(mermaid).toContain('secured_token_fresh : TOKEN_REQUESTED [else] / provideToken');
    expect(mermaid).toMatch(/note right of signedOut : in any state \(unless handled there\), TOKEN_REQUESTED \/ refuseTokenRequest/);
  });

  it('separates parallel regions and marks initial states', () => {
    expect(mermaid).toMatch(/state "secured" as secured \{\n\s+state "tag" as secured_tag \{[\s\S]*\n\s+--\n\s+state "token" as secured_token \{/);
    expect(mermaid).toContain('[*] --> signedOut');
    expect(mermaid).toContain('[*] --> secured_tag_activating');
    expect(mermaid).toContain('[*] --> secured_token_fresh');
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
    for (const line of mermaid.trimEnd().split('\n').map((l) => l.trim())) {
      expect(statement.some((pattern) => pattern.test(line)), line).toBe(true);
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
    expect(model.nodes[0]).toMatchObject({ id: 'activation', parent: undefined, path: [], initial: 'activation.signedOut' });
    expect(node('activation.secured')).toMatchObject({ type: 'parallel', parent: 'activation', initial: undefined, exit: ['refuseWaitingRequests', 'forgetWaitingRequests', 'forgetToken'] });
    expect(node('activation.secured.tag.activating')).toMatchObject({ type: 'atomic', parent: 'activation.secured.tag', path: ['secured', 'tag', 'activating'], invoke: ['activateTag'] });
    expect(node('activation.failed')).toMatchObject({ entry: ['announceFailure'], description: expect.stringContaining('No way back') });
  });

  it('describes each edge by kind, trigger, guard and actions', () => {
    const from = (source: string) => model.edges.filter((e) => e.source === `activation.${source}`);
    expect(from('fetchingToken').map((e) => e.label)).toEqual([
      'SIGN_IN [otherVisitor]',
      'SIGN_IN [else]',
      'SIGN_OUT [tagHoldsSession]',
      'SIGN_OUT [else]',
      'done fetchToken',
      'error fetchToken [anonymousOnTokenFailure]',
      'error fetchToken [else]',
      'after tokenFetchTimeout [anonymousOnTokenFailure]',
      'after tokenFetchTimeout [else]',
    ]);
    expect(from('fetchingToken')[0]).toMatchObject({ kind: 'event', trigger: 'SIGN_IN', guard: 'otherVisitor', targets: ['activation.fetchingToken'], actions: ['beginSignIn'] });
    expect(from('fetchingToken')[1]).toMatchObject({ kind: 'event', trigger: 'SIGN_IN', targets: [], actions: [], description: expect.stringContaining('Absorbed') });
    expect(from('fetchingToken')[4]).toMatchObject({ kind: 'done', trigger: 'fetchToken', targets: ['activation.secured'], actions: ['storeToken'] });
    expect(from('anonymous.choosing')).toMatchObject([
      { kind: 'always', guard: 'tagIsAnonymous', otherwise: false, targets: ['activation.anonymous.active'] },
      { kind: 'always', guard: undefined, otherwise: true, targets: ['activation.anonymous.activating'] },
    ]);
    expect(from('secured.token.fresh').find((e) => e.kind === 'after')).toMatchObject({ trigger: 'tokenTtl', label: 'after tokenTtl' });
  });

  it('names the active nodes of a state value, ancestors included', () => {
    expect(activeNodeIds(model, { secured: { tag: 'active', token: 'fresh' } })).toEqual([
      'activation',
      'activation.secured',
      'activation.secured.tag',
      'activation.secured.tag.active',
      'activation.secured.token',
      'activation.secured.token.fresh',
    ]);
    expect(activeNodeIds(model, 'signedOut')).toEqual(['activation', 'activation.signedOut']);
  });
});

describe('other shapes of machine', () => {
  const machine = setup({ guards: { ready: () => true, open: () => true }, actions: { greet: () => undefined } }).createMachine({
    id: 'door',
    initial: 'closed',
    on: { SLAM: '.closed' },
    states: {
      closed: { on: { OPEN: { guard: and(['ready', not('open')]), target: 'opened' } }, after: { 500: 'locked' } },
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
    expect(text).toContain('closed --> locked : after 500ms');
    expect(text).toContain('locked --> [*]');
  });

  it('notes the targetless and root transitions of composite states', () => {
    const text = toMermaid(machine);
    expect(text).toContain('note right of opened_wide : in any opened state (unless handled there), KNOCK / greet');
    expect(text).toContain('note right of closed : from any state, SLAM to closed');
  });
});
