// Plays a model path against a real system (a FakeWorld holding its fetches and tag calls):
// each model event becomes the world action it stands for, the model steps alongside, and
// after every step what must be true OUTSIDE the machine is checked: the controller's public
// snapshot and events, what the visitor sees in the fake iAdvize, the vendor's call log, the
// provider's answers (tokens checked with real crypto), the nine invariants, and that the
// site's events the state ignores change nothing.
import type { AnyEventObject } from 'xstate';
import { verifyToken } from '../../token/verify.js';
import type { ActivationState } from '../../activation/view.js';
import type { Failure } from '../../../machines/failures.js';
import type { TestingErrorCode } from '../error-codes.js';
import { checkInvariants, describeTrace, describeViolation } from '../trace/invariants.js';
import {
  VENDOR_REQUEST_ID,
  type ActivationModel,
  type ActivationOutcomeKind,
  type ModelEvent,
  type ModelState,
  type WorldAction,
} from './activation-model.js';
import type { TraceEntry } from '../trace/trace-recorder.js';
import { userIdFor, type ActivationPlan, type FakeWorld, type LogoutPlan } from './world.js';

export class ModelPathError extends Error {
  override readonly name = 'ModelPathError';
  readonly code = 'model-path-failed' satisfies TestingErrorCode;
}

interface ProviderCall {
  settled: boolean;
  answer?: { readonly handed: true; readonly token: string } | { readonly handed: false; readonly because: string };
}

const PLANS: { readonly [K in Extract<WorldAction, { kind: 'activation' }>['outcome']]: ActivationPlan } = {
  ok: 'accept',
  reject: 'reject',
  error: 'throw',
  timeout: 'hang',
};

/** Plays `events` from the initial state; throws a ModelPathError at the first difference. */
export async function playModelPath(
  model: ActivationModel,
  events: readonly ModelEvent[],
  world: FakeWorld,
): Promise<void> {
  const calls = new Map<number, ProviderCall>();
  const done: string[] = [];
  let state = model.initial();

  const fail = (problem: string): never => {
    const lines = [
      problem,
      `after: ${done.length === 0 ? '(start)' : done.join(' → ')}`,
      `model state: ${model.describeState(state)}`,
      `controller: ${describeView(world.activation.getSnapshot())}`,
      `visitor sees: ${world.fake.state.status}${world.fake.state.userId ? ` as ${world.fake.state.userId}` : ''} (script ${world.fake.state.script})`,
      'trace (last entries):',
      describeTrace(world.trace),
    ];
    throw new ModelPathError(lines.join('\n'));
  };

  await world.settle();
  await check(model, world, state, 0, calls, fail);
  for (const event of events) {
    const from = state;
    const action = model.actionFor(from, event);
    done.push(describeAction(action));
    const traceStart = world.trace.length;
    const next = model.step(from, event);
    await perform(world, action, from, event, calls, fail);
    state = next;
    await check(model, world, state, traceStart, calls, fail, { action, emitted: [...next.emitted] });
  }
}

async function perform(
  world: FakeWorld,
  action: WorldAction,
  from: ModelState,
  event: ModelEvent,
  calls: Map<number, ProviderCall>,
  fail: (problem: string) => never,
): Promise<void> {
  const { activation, gate, endpoint } = world;
  switch (action.kind) {
    case 'sign-in':
    case 'sign-out':
    case 'reset':
      playSiteAction(activation, action);
      break;
    case 'provider-call': {
      const { providers } = gate;
      const provider = action.of === 'older' && from.env.currentProvider ? providers.at(-2) : providers.at(-1);
      if (!provider) fail(`the tag holds no ${action.of} provider to call`);
      const call: ProviderCall = { settled: false };
      calls.set((event as AnyEventObject & { requestId: number }).requestId, call);
      provider!().then(
        (token) => Object.assign(call, { settled: true, answer: { handed: true, token } }),
        (error: unknown) =>
          Object.assign(call, {
            settled: true,
            answer: { handed: false, because: String((error as { because?: unknown }).because) },
          }),
      );
      break;
    }
    case 'fetch': {
      const held = endpoint.held.filter((fetch) => !fetch.answered && !fetch.request.signal.aborted).at(-1);
      if (!held) fail('the controller is not waiting for a token fetch');
      held!.answer(action.answer);
      break;
    }
    case 'tag-load': {
      const held = gate.loads.find((load) => !load.released);
      if (!held) fail('the controller is not waiting for the tag script');
      held!.release(action.outcome);
      break;
    }
    case 'activation': {
      const held = gate.activations.filter((activation) => !activation.released).at(-1);
      if (!held) fail('the controller is not waiting for an activation');
      // No answer: the call stays held while the clock passes the timeout.
      if (action.outcome !== 'timeout') held!.release(PLANS[action.outcome]);
      break;
    }
    case 'logout': {
      const held = gate.logouts.filter((logout) => !logout.released).at(-1);
      if (!held) fail("the controller did not call the tag's logout");
      held!.release(action.outcome satisfies LogoutPlan);
      break;
    }
    case 'clock':
      break;
  }
  await world.settle();
  if ('advanceMs' in action && action.advanceMs > 0) await world.advance(action.advanceMs);
}

async function check(
  model: ActivationModel,
  world: FakeWorld,
  state: ModelState,
  traceStart: number,
  calls: Map<number, ProviderCall>,
  fail: (problem: string) => never,
  step?: { action: WorldAction; emitted: ModelState['emitted'] },
): Promise<void> {
  const view = world.activation.getSnapshot();
  const expected = model.expectedView(state);
  if (
    view.status !== expected.status ||
    view.identity !== expected.identity ||
    view.signedIn !== expected.signedIn ||
    view.anonymous !== expected.anonymous ||
    describeFailure(view.failure) !== describeFailure(expected.failure) ||
    describeFailure(view.refreshFailure) !== describeFailure(expected.refreshFailure)
  ) {
    fail(`the controller shows ${describeView(view)}; the model expects ${describeView(expected)}`);
  }

  const tag = world.fake.state;
  const { tagSession } = state.snapshot.context;
  const { securedAs } = state.env;
  const seen = `${tag.status}${tag.status === 'secured' ? ` as ${tag.userId}` : ''}`;
  if (tagSession === 'unknown') {
    // After a failed activate or logout the tag may hold anything, but no one new.
    if (tag.status === 'secured' && tag.userId !== securedAs)
      fail(`the visitor sees ${seen}; the model expects no secured session${securedAs ? ` but ${securedAs}'s` : ''}`);
  } else {
    const expectedTag =
      tagSession === 'none' ? 'inactive' : tagSession === 'anonymous' ? 'anonymous' : `secured as ${securedAs}`;
    if (seen !== expectedTag) fail(`the visitor sees ${seen}; the model expects ${expectedTag}`);
  }

  const trace = world.trace;
  const added = trace.slice(traceStart);
  if (step) {
    const vendor = (type: string) =>
      added.filter((entry) => entry.kind === 'vendor' && entry.call.type === type).length;
    if (vendor('activate') > (step.action.kind === 'activation' ? 1 : 0))
      fail(`iAdvize was asked to activate ${vendor('activate')} times by: ${describeAction(step.action)}`);
    if (vendor('logout') > (step.action.kind === 'logout' ? 1 : 0))
      fail(`iAdvize was asked to log out ${vendor('logout')} times by: ${describeAction(step.action)}`);

    const events = added
      .filter((entry): entry is Extract<TraceEntry, { kind: 'event' }> => entry.kind === 'event')
      .map((entry) => describeEmitted(entry.event));
    const expectedEvents = step.emitted
      .filter((event) => event.type !== 'token.provided' && event.type !== 'token.refused')
      .map(describeEmitted);
    if (events.join(', ') !== expectedEvents.join(', '))
      fail(`the controller emitted [${events.join(', ')}]; the model expects [${expectedEvents.join(', ')}]`);

    const answers = step.emitted.flatMap((emitted) =>
      emitted.type === 'token.provided' || emitted.type === 'token.refused'
        ? emitted.requestIds.map((requestId) => ({ requestId, emitted }))
        : [],
    );
    for (const { requestId, emitted } of answers) {
      // The tag's own provider call while activating: the activation's outcome shows how it went.
      if (requestId === VENDOR_REQUEST_ID) continue;
      const call = calls.get(requestId);
      if (!call) fail(`the model answered provider call ${requestId}, which the driver never made`);
      calls.delete(requestId);
      if (!call!.settled) fail(`the provider has not answered call ${requestId}; the model expects ${emitted.type}`);
      const answer = call!.answer!;
      if (emitted.type === 'token.refused') {
        if (answer.handed) fail(`the provider handed out a token; the model expects a refusal (${emitted.because})`);
        else if (answer.because !== emitted.because)
          fail(`the provider refused because ${answer.because}; the model expects ${emitted.because}`);
      } else if (!answer.handed) {
        fail(`the provider refused (${answer.because}); the model expects a token`);
      } else {
        const userId = userIdFor(state.snapshot.context.visitor?.identity);
        const verification = await verifyToken(answer.token, {
          iadvizePrivateKey: world.keys.iadvize.privateKeyPem,
          customerPublicKey: world.keys.customer.publicKeyPem,
          currentDate: new Date(world.clock.now()),
        });
        if (!verification.ok) fail(`the provider handed out a token iAdvize refuses (${verification.check})`);
        else if (verification.claims.userId !== userId)
          fail(`the provider handed out a token for ${verification.claims.userId}, not ${userId}`);
      }
    }
  }
  for (const [requestId, call] of calls)
    if (call.settled) fail(`the provider answered call ${requestId}, which the model still keeps waiting`);

  const violations = checkInvariants(trace, { policy: model.policy });
  if (violations.length > 0) fail(violations.map(describeViolation).join('\n'));

  for (const event of model.ignoredFor(state)) {
    const action = model.actionFor(state, event) as SiteAction;
    await checkIgnored(world, describeAction(action), 1, fail, async () => {
      playSiteAction(world.activation, action);
      await world.settle();
    });
  }
  // No retry, no timer behind the visitor's back: a long wait changes nothing here.
  if (model.isTimeless(state))
    await checkIgnored(world, 'an hour passing', 0, fail, () => world.advance(QUIET_WAIT_MS));
}

const QUIET_WAIT_MS = 60 * 60_000;

/** Does something the model ignores in this state: nothing may happen outside but `traced` site entries. */
async function checkIgnored(
  world: FakeWorld,
  label: string,
  traced: number,
  fail: (problem: string) => never,
  act: () => Promise<void>,
): Promise<void> {
  const { activation, fake, gate, endpoint } = world;
  const before = {
    view: activation.getSnapshot(),
    trace: world.trace.length,
    tag: `${fake.state.status}:${fake.state.userId ?? ''}`,
    port: gate.activations.length + gate.logouts.length,
    fetches: endpoint.requests.length,
  };
  await act();
  const changed = [
    activation.getSnapshot() !== before.view && 'the controller snapshot',
    world.trace.length !== before.trace + traced &&
      `the trace (${describeTrace(world.trace, world.trace.length - 1, world.trace.length - before.trace - traced)})`,
    `${fake.state.status}:${fake.state.userId ?? ''}` !== before.tag && 'what the visitor sees',
    gate.activations.length + gate.logouts.length !== before.port && 'the tag calls',
    endpoint.requests.length !== before.fetches && 'the token fetches',
  ].filter(Boolean);
  if (changed.length > 0) fail(`${label} should be ignored here, but it changed ${changed.join(', ')}`);
}

function describeFailure(failure: Failure | undefined): string {
  return failure ? `${failure.code}/${failure.phase}` : '-';
}

function describeView(view: ActivationState): string {
  return `${view.status}${view.anonymous ? ' (anonymous)' : ''} identity=${view.identity ?? '-'} signedIn=${view.signedIn} failure=${describeFailure(view.failure)} refreshFailure=${describeFailure(view.refreshFailure)}`;
}

function describeEmitted(event: {
  type: string;
  failure?: Failure;
  fallbackFrom?: Failure | undefined;
  identity?: string | undefined;
}): string {
  if ('failure' in event && event.failure) return `${event.type}(${describeFailure(event.failure)})`;
  if (event.type === 'activation.anonymous') return `anonymous(${describeFailure(event.fallbackFrom)})`;
  if (event.type === 'activation.secured') return `activated(${event.identity ?? '-'})`;
  return event.type;
}

/** What the site itself does: the model's site events (ignoredFor lists only these). */
type SiteAction = Extract<WorldAction, { kind: 'sign-in' | 'sign-out' | 'reset' }>;

function playSiteAction(activation: FakeWorld['activation'], action: SiteAction): void {
  if (action.kind === 'sign-in') activation.signIn(action.identity);
  else if (action.kind === 'sign-out') activation.signOut();
  else activation.reset();
}

export function describeAction(action: WorldAction): string {
  switch (action.kind) {
    case 'sign-in':
      return action.identity === undefined ? 'signIn()' : `signIn('${action.identity}')`;
    case 'sign-out':
      return 'signOut()';
    case 'reset':
      return 'reset()';
    case 'provider-call':
      return `the tag calls the ${action.of} provider`;
    case 'fetch':
      return action.answer === 'token'
        ? 'the token endpoint answers'
        : action.answer === 'fail'
          ? 'the token endpoint fails'
          : `the token endpoint hangs ${action.advanceMs} ms`;
    case 'tag-load':
      return action.outcome === 'load' ? 'the tag script loads' : 'the tag script is blocked';
    case 'activation':
      return `${action.mode} activate: ${ACTIVATION_WORDS[action.outcome]}`;
    case 'logout':
      return action.outcome === 'done'
        ? 'logout completes'
        : action.outcome === 'throw'
          ? 'logout throws'
          : `logout hangs ${action.advanceMs} ms`;
    case 'clock':
      return `${action.advanceMs} ms pass`;
  }
}

const ACTIVATION_WORDS: { readonly [K in ActivationOutcomeKind]: string } = {
  ok: 'iAdvize accepts',
  reject: 'iAdvize server errors',
  error: 'the port throws',
  timeout: 'no answer',
};
