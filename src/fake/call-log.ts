// What the fake iAdvize saw, in order and timestamped, so tests assert invariants from the
// outside ("one activate per sign-in", "no client retries"). Never holds a token.
import type { TokenCheck } from '../token/verify.js';

/** Why the tag called the provider: the first activation, its own retry, or session re-verification. */
export type ProviderPurpose = 'activation' | 'retry' | 'reverification';

export type FakeCall =
  | { readonly type: 'script-requested'; readonly src: string }
  | { readonly type: 'script-loaded'; readonly sid: string | undefined }
  | { readonly type: 'script-failed'; readonly src: string }
  | { readonly type: 'queued-function-error'; readonly message: string }
  | { readonly type: 'activate' }
  | { readonly type: 'provider'; readonly purpose: ProviderPurpose }
  | { readonly type: 'activation-result'; readonly ok: boolean; readonly reason?: string }
  | { readonly type: 'server-check'; readonly ok: true; readonly userId: string }
  | {
      readonly type: 'server-check';
      readonly ok: false;
      readonly check: TokenCheck | 'server-fault';
      readonly reason: string;
      readonly detail?: string;
    }
  | { readonly type: 'session-reverification'; readonly ok: boolean; readonly reason?: string }
  | { readonly type: 'logout' };

export type CallEntry = FakeCall & { readonly at: number };
export type CallType = FakeCall['type'];

export interface CallLog {
  readonly entries: readonly CallEntry[];
  record(call: FakeCall): void;
  /** The entries of one type, in order. */
  of<T extends CallType>(type: T): Array<Extract<CallEntry, { type: T }>>;
  count(type: CallType): number;
  clear(): void;
}

export function createCallLog(now: () => number = Date.now): CallLog {
  const entries: CallEntry[] = [];
  return {
    entries,
    record: (call) => void entries.push({ ...call, at: now() }),
    of: <T extends CallType>(type: T) =>
      entries.filter((entry): entry is Extract<CallEntry, { type: T }> => entry.type === type),
    count: (type) => entries.filter((entry) => entry.type === type).length,
    clear: () => void entries.splice(0),
  };
}
