// A scripted in-memory tag double for unit tests: each port call is recorded and answered by
// the script, or left pending for the test to settle by hand. (The faithful fake iAdvize is
// in src/testing; this double only exercises the machine and the controller.)
import type { ActivateRequest, TagOutcome, TagPort } from '../../src/tag/port.js';

export interface Pending<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
  readonly settled: boolean;
}

export function deferred<T>(): Pending<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  let settled = false;
  const promise = new Promise<T>((res, rej) => {
    resolve = (value) => ((settled = true), res(value));
    reject = (error) => ((settled = true), rej(error));
  });
  return {
    promise,
    resolve: (value) => resolve(value),
    reject: (error) => reject(error),
    get settled() {
      return settled;
    },
  };
}

/** How the double answers activate: a fixed outcome (after one provider call for secured), by hand, or by throwing. */
export type ActivateScript = TagOutcome | 'manual' | 'throw';
export type SimpleScript = 'ok' | 'fail' | 'manual';

export interface ActivationCall {
  readonly request: ActivateRequest;
  readonly answer: Pending<TagOutcome>;
  /** The token the double got from the provider, or the provider's refusal. */
  token?: string;
  providerError?: unknown;
}

export interface ScriptedTag extends TagPort {
  script: { ready: SimpleScript; activate: ActivateScript; logout: SimpleScript };
  readonly activations: ActivationCall[];
  readonly readies: Pending<void>[];
  readonly logouts: Pending<void>[];
  /** Every port call in order, for invariant checks. */
  readonly log: string[];
  /** activate calls started and not yet answered. */
  inFlight(): number;
  /** The largest number of activate calls in flight at once. */
  maxInFlight(): number;
}

export function createScriptedTag(script: Partial<ScriptedTag['script']> = {}): ScriptedTag {
  const activations: ActivationCall[] = [];
  const readies: Pending<void>[] = [];
  const logouts: Pending<void>[] = [];
  const log: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;

  const answerSimple = (kind: SimpleScript, pending: Pending<void>) => {
    if (kind === 'ok') pending.resolve();
    if (kind === 'fail') pending.reject(new Error('scripted failure'));
    return pending.promise;
  };

  const tag: ScriptedTag = {
    script: { ready: 'ok', activate: { ok: true }, logout: 'ok', ...script },
    activations,
    readies,
    logouts,
    log,
    inFlight: () => inFlight,
    maxInFlight: () => maxInFlight,
    ready() {
      log.push('ready');
      const pending = deferred<void>();
      readies.push(pending);
      return answerSimple(tag.script.ready, pending);
    },
    async activate(request) {
      log.push(`activate:${request.mode}`);
      const call: ActivationCall = { request, answer: deferred<TagOutcome>() };
      activations.push(call);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      call.answer.promise.then(
        () => (inFlight -= 1),
        () => (inFlight -= 1),
      );
      const planned = tag.script.activate;
      if (planned === 'throw') {
        call.answer.reject(new Error('activate exploded'));
      } else if (planned !== 'manual') {
        if (request.mode === 'secured') {
          // Like the real tag: ask the provider first, fail if it gives nothing.
          try {
            call.token = await request.provider();
          } catch (error) {
            call.providerError = error;
            call.answer.resolve({
              ok: false,
              code: 'invalid-option',
              reason: 'A valid authentication option must be provided',
            });
          }
        }
        if (!call.answer.settled) call.answer.resolve(planned);
      }
      return call.answer.promise;
    },
    logout() {
      log.push('logout');
      const pending = deferred<void>();
      logouts.push(pending);
      return answerSimple(tag.script.logout, pending);
    },
  };
  return tag;
}

/** Lets promise callbacks and XState's follow-up transitions run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A well-formed (five-part) compact JWE-looking token for unit tests; crypto is tested elsewhere. */
export function fakeJwe(label: string): string {
  return `eyJhbGciOiJSU0EtT0FFUC0yNTYifQ.${label}.iv.ciphertext.tag`;
}
