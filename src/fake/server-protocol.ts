// What the fake tag asks the fake iAdvize server and what it answers, in process or over HTTP
// (JSON). Browser-safe and key-free: the fake tag script depends on this, never on the server.
import { VENDOR_REASONS } from '../tag/contract.js';
import type { VisitorData } from '../token/claims.js';
import type { TokenCheck } from '../token/verify.js';

export type AuthenticationAnswer =
  | { readonly ok: true; readonly userId: string; readonly visitorData?: VisitorData }
  /** The token was checked and refused: the tag reports `reason` and does not retry. */
  | { readonly ok: false; readonly kind: 'rejected'; readonly check: TokenCheck; readonly reason: string }
  /** iAdvize's side failed: the tag retries with a fresh token. */
  | { readonly ok: false; readonly kind: 'server-error'; readonly reason: string };

/** How the fake tag reaches the fake server: the server itself in process, or HTTP. */
export interface FakeServerTransport {
  authenticate(token: string): Promise<AuthenticationAnswer>;
}

export const SERVER_ERROR_ANSWER = {
  ok: false,
  kind: 'server-error',
  reason: VENDOR_REASONS.serverError,
} as const satisfies AuthenticationAnswer;

/** The JSON body the HTTP transport posts. */
export interface AuthenticationRequestBody {
  readonly token: string;
}

/** The HTTP status the handler answers with, so proxies and logs see what happened. */
export function statusOfAnswer(answer: AuthenticationAnswer): number {
  if (answer.ok) return 200;
  return answer.kind === 'rejected' ? 401 : 500;
}

/** Reads an answer from JSON; anything that is not one is the server failing. */
export function parseAnswer(value: unknown): AuthenticationAnswer {
  const answer = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (answer.ok === true && typeof answer.userId === 'string' && answer.userId !== '') {
    const visitorData = answer.visitorData;
    return typeof visitorData === 'object' && visitorData !== null
      ? { ok: true, userId: answer.userId, visitorData: visitorData as VisitorData }
      : { ok: true, userId: answer.userId };
  }
  if (
    answer.ok === false &&
    answer.kind === 'rejected' &&
    typeof answer.reason === 'string' &&
    typeof answer.check === 'string'
  ) {
    return { ok: false, kind: 'rejected', check: answer.check as TokenCheck, reason: answer.reason };
  }
  return SERVER_ERROR_ANSWER;
}
