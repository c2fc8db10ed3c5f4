import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SimulatedClock } from 'xstate';
import { createActivation, type Activation } from '../../src/index.js';
import type { ActivationOptions } from '../../src/activation/options.js';
import {
  createInspector,
  formatTimeline,
  type Inspector,
  type InspectorEntry,
  type InspectorOptions,
  type TransitionEntry,
} from '../../src/inspect/index.js';
import {
  createScriptedTag,
  deferred,
  fakeJwe,
  flush,
  type Pending,
  type ScriptedTag,
} from '../support/scripted-tag.js';

/** The activation harness pattern (test/activation/harness.ts) with an inspector attached. */
interface Inspected {
  readonly activation: Activation;
  readonly tag: ScriptedTag;
  readonly clock: SimulatedClock;
  readonly inspector: Inspector;
  readonly fetches: Array<Pending<string>>;
  /** What each fetch answers; 'manual' leaves it to the test. */
  nextToken: (() => string) | 'fail' | 'manual';
  advance(ms: number): Promise<void>;
}

function inspected(
  options: { tag?: Partial<ScriptedTag['script']>; inspector?: InspectorOptions } & Partial<
    Pick<ActivationOptions, 'policy' | 'tokenTtlMs'>
  > = {},
): Inspected {
  const clock = new SimulatedClock();
  const tag = createScriptedTag(options.tag);
  const inspector = createInspector({ now: () => clock.now(), ...options.inspector });
  const fetches: Array<Pending<string>> = [];
  const h: Inspected = {
    activation: undefined as unknown as Activation,
    tag,
    clock,
    inspector,
    fetches,
    nextToken: () => fakeJwe(`token${fetches.length}`),
    async advance(ms) {
      clock.increment(ms);
      await flush();
    },
  };
  (h as { activation: Activation }).activation = createActivation({
    tag,
    clock,
    inspect: inspector.inspect,
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.tokenTtlMs ? { tokenTtlMs: options.tokenTtlMs } : {}),
    fetchToken: () => {
      const answer = deferred<string>();
      fetches.push(answer);
      if (typeof h.nextToken === 'function') answer.resolve(h.nextToken());
      if (h.nextToken === 'fail') answer.reject(new Error('backend answered 500'));
      return answer.promise;
    },
  }).start();
  return h;
}

const transitions = (inspector: Inspector) =>
  inspector.entries().filter((e): e is TransitionEntry => e.kind === 'transition');
const lines = (inspector: Inspector) => inspector.format({ context: false }).split('\n');

afterEach(() => vi.restoreAllMocks());

describe('the timeline of an activation', () => {
  it('records sign-in → active → sign-out as transitions, actors and emitted events, time-stamped', async () => {
    const h = inspected();
    await h.advance(250);
    h.activation.signIn('user-42');
    await flush();
    await h.advance(1_000);
    h.activation.signOut();
    await flush();

    // Two regions side by side: the tag (its script loads from start()) and the visitor flow.
    expect(transitions(h.inspector).map((t) => [t.from, t.to, t.event.label])).toEqual([
      [undefined, 'tag.loading, visitor.signedOut', 'init'],
      ['tag.loading, visitor.signedOut', 'tag.ready.idle, visitor.signedOut', 'done loadTag'],
      ['tag.ready.idle, visitor.signedOut', 'tag.ready.idle, visitor.fetchingToken', 'SIGN_IN'],
      [
        'tag.ready.idle, visitor.fetchingToken',
        'tag.ready.activating.waiting, visitor.secured(activation.activating, token.fresh)',
        'done fetchToken',
      ],
      // The token goes to one provider call only: handed out, it is spent.
      [
        'tag.ready.activating.waiting, visitor.secured(activation.activating, token.fresh)',
        'tag.ready.activating.waiting, visitor.secured(activation.activating, token.spent)',
        'TOKEN_REQUESTED',
      ],
      [
        'tag.ready.activating.waiting, visitor.secured(activation.activating, token.spent)',
        'tag.ready.idle, visitor.secured(activation.active, token.spent)',
        'done activateTag',
      ],
      [
        'tag.ready.idle, visitor.secured(activation.active, token.spent)',
        'tag.ready.loggingOut, visitor.signingOut',
        'SIGN_OUT',
      ],
      ['tag.ready.loggingOut, visitor.signingOut', 'tag.ready.idle, visitor.signedOut', 'done logoutTag'],
    ]);
    expect(lines(h.inspector)).toEqual(
      expect.arrayContaining([
        '+0ms      activation started',
        '+0ms        loadTag started',
        // The input is what the site gave (nothing here): the machine applies the defaults.
        '+0ms      (start) → tag.loading, visitor.signedOut  init {input:{}}',
        '+250ms    tag.loading, visitor.signedOut → tag.ready.idle, visitor.signedOut  done loadTag',
        '+250ms      loadTag done',
        '+250ms    tag.ready.idle, visitor.signedOut → tag.ready.idle, visitor.fetchingToken  SIGN_IN {identity:"user-42"}',
        '+250ms      fetchToken started',
        '+250ms      fetchToken done',
        '+250ms    tag.ready.idle, visitor.fetchingToken → tag.ready.activating.waiting, visitor.secured(activation.activating, token.fresh)  done fetchToken {output:{token:"[redacted]"}}  [activationWanted]',
        '+250ms    tag.ready.activating.waiting, visitor.secured(activation.activating, token.fresh) → tag.ready.activating.waiting, visitor.secured(activation.activating, token.spent)  TOKEN_REQUESTED {requestId:1, attempt:1, at:250}',
        '+250ms    emitted activation.secured {identity:"user-42"}',
        '+250ms    tag.ready.activating.waiting, visitor.secured(activation.activating, token.spent) → tag.ready.idle, visitor.secured(activation.active, token.spent)  done activateTag {output:{ok:true}}  [answerAwaited(mode=secured, ok=true)]',
        '+1250ms   tag.ready.idle, visitor.secured(activation.active, token.spent) → tag.ready.loggingOut, visitor.signingOut  SIGN_OUT  [logoutWanted]',
        '+1250ms   tag.ready.loggingOut, visitor.signingOut → tag.ready.idle, visitor.signedOut  done logoutTag',
      ]),
    );
    const signIn = transitions(h.inspector).find((t) => t.event.label === 'SIGN_IN')!;
    expect(signIn).toMatchObject({
      at: 250,
      root: true,
      actor: 'activation',
      changed: true,
      steps: [{ source: 'visitor.signedOut', targets: ['visitor.fetchingToken'], guard: undefined }],
    });
    expect(signIn.context).toMatchObject({ attempt: 1, visitor: { identity: 'user-42' }, tagSession: 'none' });
    // Every microstep of a step, even when an actor that step started sends the machine an
    // event before the step ends (activateTag asks for the token at once).
    expect(transitions(h.inspector).find((t) => t.event.label === 'done fetchToken')!.steps).toEqual([
      { source: 'visitor.fetchingToken', targets: ['visitor.secured'], guard: undefined },
      { source: 'tag.ready.idle', targets: ['tag.ready.activating'], guard: 'activationWanted' },
    ]);
  });

  it('prints under each transition the context fields it changed', async () => {
    const h = inspected();
    h.activation.signIn('user-42');
    await flush();
    const text = h.inspector.format();
    expect(text).toMatch(
      /visitor\.signedOut → tag\.loading, visitor\.fetchingToken {2}SIGN_IN \{identity:"user-42"\}\n {14}attempt=1 {2}visitor=\{identity:"user-42"\}\n/,
    );
    // A field the step cleared is printed as undefined.
    expect(text).toMatch(
      /→ tag\.ready\.idle, visitor\.secured\(activation\.active, token\.spent\)[^\n]*\n {14}tagActivation=undefined {2}tagSession="secured"\n/,
    );
  });

  it('records a token failure: the failing actor, the transition to failed and the emitted failure', async () => {
    const h = inspected();
    h.nextToken = 'fail';
    h.activation.signIn('u');
    await flush();
    const text = lines(h.inspector);
    expect(text).toContain('+0ms        fetchToken error {name:"Error", message:"backend answered 500"}');
    expect(text).toContainEqual(
      expect.stringMatching(
        /^\+0ms {6}tag\.ready\.idle, visitor\.fetchingToken → tag\.ready\.idle, visitor\.failed {2}error fetchToken \{error:\{name:"Error", message:"backend answered 500"\}\}$/,
      ),
    );
    const failed = h.inspector.entries().find((e) => e.kind === 'emitted' && e.event.type === 'activation.failed');
    expect(failed).toMatchObject({ event: { data: { failure: { code: 'token-unavailable', phase: 'token' } } } });
    expect(transitions(h.inspector).at(-1)!.context).toMatchObject({ failure: { code: 'token-unavailable' } });
  });

  it('shows the guards that chose a transition, and timeouts as delays', async () => {
    const h = inspected({ tag: { activate: 'manual' } });
    h.activation.signIn('alice');
    await flush();
    await h.advance(30_000);
    h.activation.signIn('bob');
    await flush();
    let text = lines(h.inspector);
    expect(text).toContain(
      '+30000ms  tag.ready.activating.waiting, visitor.secured(activation.activating, token.spent) → tag.ready.activating.overdue, visitor.failed  after activationTimeout  [answerAwaited(mode=secured, ok=false)]',
    );
    expect(text).toContain(
      '+30000ms  tag.ready.activating.overdue, visitor.failed → tag.ready.activating.overdue, visitor.signingOut  SIGN_IN {identity:"bob"}  [tagMayHoldSession]',
    );
    // The activate still runs at the tag: the logout waits for it, given up after 2 × activationMs.
    expect(text.filter((line) => line.includes('logoutTag'))).toEqual([]);
    await h.advance(60_000);
    text = lines(h.inspector);
    expect(text).toContain(
      '+90000ms  tag.ready.activating.overdue, visitor.signingOut → tag.ready.loggingOut, visitor.signingOut  after lateAnswerBound  [logoutWanted]',
    );
    expect(text).toContain(
      '+90000ms  tag.ready.loggingOut, visitor.signingOut → tag.ready.idle, visitor.fetchingToken  done logoutTag  [signInQueued]',
    );
    expect(text.filter((line) => line.includes('logoutTag started'))).toEqual(['+90000ms    logoutTag started']);
  });

  it('shows the guards of the initial microsteps', async () => {
    const h = inspected({ policy: { whenSignedOut: 'anonymous' } });
    await flush();
    expect(lines(h.inspector)).toContainEqual(
      expect.stringMatching(
        /^\+0ms {6}\(start\) → tag\.loading, visitor\.anonymous\.activating {2}init \{.*\} {2}\[anonymousWhenSignedOut\]$/,
      ),
    );
    expect(transitions(h.inspector)[0]!.steps).toEqual([
      { source: 'visitor.signedOut', targets: ['visitor.anonymous'], guard: 'anonymousWhenSignedOut' },
      { source: 'visitor.anonymous.choosing', targets: ['visitor.anonymous.activating'], guard: undefined },
    ]);
  });
});

describe('redaction', () => {
  const { privateKey: pem } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const pemBody = pem.split('\n')[5]!;

  it('keeps no token (JOSE-looking or not) and no private key anywhere: entries, listeners, JSON, text', async () => {
    const tokens = [fakeJwe('first'), 'plainHeader.encKey.iv.cipherText.tag', fakeJwe('refreshed')];
    const h = inspected({
      tokenTtlMs: 1_000,
      tag: { activate: { ok: false, code: 'unknown', reason: `tag said: ${pem} for ${tokens[0]}` } },
    });
    const heard: InspectorEntry[] = [];
    h.inspector.subscribe((entry) => heard.push(entry));
    let handedOut = 0;
    h.nextToken = () => tokens[handedOut++]!;
    h.activation.signIn('u'); // fails on activate, with the key and token in the reason
    await flush();
    h.tag.script.activate = { ok: true };
    h.activation.signIn('u'); // a non-JOSE-looking token
    await flush();
    await h.advance(1_000);
    const provider = h.tag.activations.at(-1)!.request;
    if (provider.mode !== 'secured') throw new Error('expected a secured activation');
    await expect(provider.provider()).resolves.toBe(tokens[2]); // a refresh: token in context, events and emitted
    h.nextToken = 'manual';
    h.activation.signOut();
    await flush();
    h.activation.signIn('u');
    h.fetches.at(-1)!.reject(new Error(`cannot sign with ${pem}`));
    await flush();

    expect(h.tag.activations.map((a) => a.token)).toEqual([tokens[0], tokens[1]]);
    const outputs = [
      JSON.stringify(h.inspector.entries()),
      JSON.stringify(h.inspector),
      JSON.stringify(heard),
      h.inspector.format(),
    ];
    for (const output of outputs) {
      for (const token of tokens) expect(output).not.toContain(token);
      expect(output).not.toContain(pemBody);
      expect(output).not.toContain('BEGIN PRIVATE KEY');
    }
    expect(h.inspector.format()).toContain('[redacted key]');
    expect(h.inspector.format()).toContain('eyJ…[redacted]');
  });

  it('records frozen copies, never the machine objects themselves', async () => {
    const h = inspected();
    h.activation.signIn('u');
    await flush();
    const entry = transitions(h.inspector).at(-1)!;
    expect(Object.isFrozen(entry)).toBe(true);
    expect(entry.context).not.toBe(h.activation.actor.getSnapshot().context);
    // Tokens are single-use: the context holds one from the fetch until the provider call takes it.
    const stored = transitions(h.inspector).find((t) => t.event.label === 'done fetchToken')!;
    expect(Object.isFrozen(stored)).toBe(true);
    expect(stored.context).toMatchObject({ token: '[redacted]' });
  });
});

describe('the buffer', () => {
  it('keeps the newest `limit` entries, counts the dropped ones, and says so in the text', async () => {
    const h = inspected({ inspector: { limit: 5 } });
    h.activation.signIn('u');
    await flush();
    const kept = h.inspector.entries();
    expect(kept).toHaveLength(5);
    const { dropped, entries, limit } = h.inspector.toJSON();
    expect(limit).toBe(5);
    expect(dropped).toBeGreaterThan(0);
    expect(entries.map((e) => e.seq)).toEqual([dropped, dropped + 1, dropped + 2, dropped + 3, dropped + 4]);
    expect(h.inspector.format().split('\n')[0]).toBe(`… ${dropped} earlier entries dropped (limit 5)`);
  });

  it('defaults to 500 entries and refuses a limit that is not a positive integer', () => {
    expect(createInspector().toJSON().limit).toBe(500);
    for (const limit of [0, -1, 2.5, Number.NaN])
      expect(() => createInspector({ limit })).toThrow(/limit must be a positive integer/);
  });

  it('clear() forgets everything; the next entry is +0ms again', async () => {
    const h = inspected();
    h.activation.signIn('u');
    await flush();
    await h.advance(5_000);
    h.inspector.clear();
    expect(h.inspector.entries()).toEqual([]);
    expect(h.inspector.toJSON()).toMatchObject({ dropped: 0, origin: undefined });
    h.activation.signOut();
    await flush();
    // Leaving the secured session refuses the provider calls still waiting: none here, so no refusal line.
    expect(lines(h.inspector)).toEqual([
      '+0ms        logoutTag started',
      '+0ms      tag.ready.idle, visitor.secured(activation.active, token.spent) → tag.ready.loggingOut, visitor.signingOut  SIGN_OUT  [logoutWanted]',
      '+0ms      tag.ready.loggingOut, visitor.signingOut → tag.ready.idle, visitor.signedOut  done logoutTag',
      '+0ms        logoutTag done',
    ]);
  });
});

describe('listeners and failures', () => {
  it('delivers each new entry until unsubscribed', async () => {
    const h = inspected();
    const heard: InspectorEntry[] = [];
    const off = h.inspector.subscribe((entry) => heard.push(entry));
    h.activation.signIn('u');
    await flush();
    expect(heard).toEqual(h.inspector.entries().filter((e) => e.seq >= heard[0]!.seq));
    expect(heard.length).toBeGreaterThan(5);
    off();
    const count = heard.length;
    h.activation.signOut();
    await flush();
    expect(heard).toHaveLength(count);
    expect(h.inspector.entries().length).toBeGreaterThan(count);
  });

  it('reports a throwing listener apart, without breaking the machine or the other listeners', async () => {
    const reported: Array<() => void> = [];
    vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((callback) => void reported.push(callback));
    const h = inspected();
    const off = h.inspector.subscribe(() => {
      throw new Error('listener bug');
    });
    const heard: InspectorEntry[] = [];
    h.inspector.subscribe((entry) => heard.push(entry));
    h.activation.signIn('u');
    await flush();
    off();
    vi.restoreAllMocks();
    expect(heard.length).toBeGreaterThan(0);
    expect(reported.length).toBeGreaterThan(0);
    expect(() => reported[0]!()).toThrow('listener bug');
    expect(h.activation.getSnapshot().status).toBe('active');
  });

  it('never lets its own failure reach the machine', async () => {
    const reported: Array<() => void> = [];
    vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((callback) => void reported.push(callback));
    const clock = new SimulatedClock();
    const broken = createInspector({
      now: () => {
        throw new Error('clock bug');
      },
    });
    const activation = createActivation({
      tag: createScriptedTag(),
      clock,
      inspect: broken.inspect,
      fetchToken: async () => fakeJwe('t'),
    }).start();
    activation.signIn('u');
    await flush();
    vi.restoreAllMocks();
    expect(activation.getSnapshot().status).toBe('active');
    expect(() => reported[0]!()).toThrow('clock bug');
  });
});

describe('options and saved recordings', () => {
  it('records received events when asked, with their sender', async () => {
    const h = inspected({ inspector: { record: ['event'] } });
    h.activation.signIn('u');
    await flush();
    const kinds = new Set(h.inspector.entries().map((e) => e.kind));
    expect(kinds).toEqual(new Set(['event']));
    expect(lines(h.inspector)).toContain('+0ms      received SIGN_IN {identity:"u"}');
    expect(lines(h.inspector)).toContainEqual(
      expect.stringMatching(
        /^\+0ms {6}received done fetchToken \{output:\{token:"\[redacted\]"\}\} from 0\.activation\.visitor\.fetchingToken$/,
      ),
    );
  });

  it('prints a recording saved as JSON exactly as the live inspector does', async () => {
    const h = inspected();
    h.activation.signIn('u');
    await flush();
    const saved = JSON.parse(JSON.stringify(h.inspector));
    expect(formatTimeline(saved)).toBe(h.inspector.format());
    expect(formatTimeline(saved, { kinds: ['emitted'] })).toBe(
      '+0ms      emitted token.provided {requestIds:[1], token:"[redacted]"}\n+0ms      emitted activation.secured {identity:"u"}',
    );
  });
});
