// The fake iAdvize server: checks a visitor token the way iAdvize does (every check of
// token-format.md, through verifyToken) and answers with the vendor's wording. It holds
// iAdvize's private key, so it runs where keys may be: a Node process or an in-process test.
import { FAKE_REJECTION_REASONS } from './reasons.js';
import { redactText } from '../redact.js';
import { importKey } from '../token/keys.js';
import { verifyToken, type KeyInput, type TokenVerification } from '../token/verify.js';
import { createCallLog, type CallLog } from './call-log.js';
import { handleAuthentication } from './server-http.js';
import { SERVER_ERROR_ANSWER, type AuthenticationAnswer, type FakeServerTransport } from './server-protocol.js';
import { createTimers } from './timers.js';

/** Faults the server can be told to show. A plain object: change a field and the next request sees it. */
export interface FakeServerFaults {
  /** Answer this many requests with a server error, or every one ('always'). Counts down. */
  serverErrors: number | 'always';
  /** Extra time before every answer, in ms. */
  latencyMs: number;
  /** The server clock's offset from `now()`, in ms: ahead makes tokens look expired, behind issued in the future. */
  clockSkewMs: number;
  /**
   * Set to simulate a customer key rotation iAdvize was not told about: tokens are verified
   * with this public key instead of the registered one.
   */
  rotatedCustomerKey: KeyInput | undefined;
}

export interface FakeIAdvizeServerOptions {
  /** The customer public key registered with "iAdvize". */
  readonly customerPublicKey: KeyInput;
  /** "iAdvize's" private key, which decrypts tokens. Server-side only. */
  readonly iadvizePrivateKey: KeyInput;
  /** Initial `faults.clockSkewMs`. */
  readonly clockSkewMs?: number;
  /** Allowed skew for `exp` and `iat`, in seconds. Default 30 (verifyToken's). */
  readonly clockToleranceSeconds?: number;
  /** When set, `iss` must equal it. */
  readonly expectedIssuer?: string;
  readonly now?: () => number;
  /** Where server checks are recorded. Default a new log. */
  readonly calls?: CallLog;
  /** The faults object to read (shared with createFakeIAdvize). Default a new one with no fault. */
  readonly faults?: FakeServerFaults;
}

export interface FakeIAdvizeServer extends FakeServerTransport {
  readonly faults: FakeServerFaults;
  readonly calls: CallLog;
  /** Web-standard handler: POST `{ token }` as JSON, get an AuthenticationAnswer as JSON. */
  handler(request: Request): Promise<Response>;
  /** Clears pending latency timers. */
  dispose(): void;
}

export function noServerFaults(clockSkewMs = 0): FakeServerFaults {
  return { serverErrors: 0, latencyMs: 0, clockSkewMs, rotatedCustomerKey: undefined };
}

/** Imports and checks both keys up front (throws KeyError), as a real deployment would at boot. */
export async function createFakeIAdvizeServer(options: FakeIAdvizeServerOptions): Promise<FakeIAdvizeServer> {
  const [customerPublicKey, iadvizePrivateKey] = await Promise.all([
    importKey(options.customerPublicKey, 'customer-public'),
    importKey(options.iadvizePrivateKey, 'iadvize-private'),
  ]);
  const now = options.now ?? Date.now;
  const calls = options.calls ?? createCallLog(now);
  const faults = options.faults ?? noServerFaults(options.clockSkewMs);
  const timers = createTimers();

  /** Uses up one injected server error, if any is due. */
  const injectedError = () => {
    if (faults.serverErrors === 'always') return true;
    if (faults.serverErrors <= 0) return false;
    faults.serverErrors -= 1;
    return true;
  };

  async function verify(token: string): Promise<TokenVerification> {
    return verifyToken(token, {
      iadvizePrivateKey,
      customerPublicKey: faults.rotatedCustomerKey ?? customerPublicKey,
      currentDate: new Date(now() + faults.clockSkewMs),
      ...(options.clockToleranceSeconds === undefined ? {} : { clockToleranceSeconds: options.clockToleranceSeconds }),
      ...(options.expectedIssuer === undefined ? {} : { expectedIssuer: options.expectedIssuer }),
    });
  }

  async function authenticate(token: string): Promise<AuthenticationAnswer> {
    await timers.delay(faults.latencyMs);
    if (injectedError()) {
      calls.record({
        type: 'server-check',
        ok: false,
        check: 'server-fault',
        reason: SERVER_ERROR_ANSWER.reason,
        detail: 'injected server error',
      });
      return SERVER_ERROR_ANSWER;
    }
    let verification: TokenVerification;
    try {
      verification = await verify(token);
    } catch (error) {
      // An unusable key is the server's own misconfiguration: iAdvize answers a server error.
      const detail = redactText(error instanceof Error ? error.message : String(error));
      calls.record({
        type: 'server-check',
        ok: false,
        check: 'server-fault',
        reason: SERVER_ERROR_ANSWER.reason,
        detail,
      });
      return SERVER_ERROR_ANSWER;
    }
    if (!verification.ok) {
      const reason = FAKE_REJECTION_REASONS[verification.check];
      calls.record({
        type: 'server-check',
        ok: false,
        check: verification.check,
        reason,
        detail: redactText(verification.message),
      });
      return { ok: false, kind: 'rejected', check: verification.check, reason };
    }
    const { userId, visitorData } = verification.claims;
    calls.record({ type: 'server-check', ok: true, userId });
    return visitorData === undefined ? { ok: true, userId } : { ok: true, userId, visitorData };
  }

  return {
    faults,
    calls,
    authenticate,
    handler: (request) => handleAuthentication(request, authenticate),
    dispose: () => timers.dispose(),
  };
}
