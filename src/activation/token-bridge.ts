// The provider handed to the tag: each call asks the machine for a token and waits for the
// machine's emitted answer. The machine decides (fresh token, shared refresh, or refusal).
import type { Actor } from 'xstate';
import type { ActivationMachine, TokenRefusal } from '../../machines/activation.js';
import { TokenRefusedError } from '../errors.js';
import type { TokenProvider } from '../tag/port.js';

export interface TokenBridge {
  /** A provider bound to one sign-in attempt; later attempts make stale calls of it refused. */
  providerFor(attempt: number): TokenProvider;
  /** Rejects every call still waiting (the controller stopped). */
  close(): void;
  /** After close: the providers handed out so far ask `provider` instead (the controller that took over). */
  forwardTo(provider: TokenProvider): void;
}

/** A provider call waiting for the machine's answer. */
interface WaitingCall {
  resolve(token: string): void;
  reject(error: Error): void;
}

/** `now` stamps each call: the machine never hands out a token past its usable time. */
export function createTokenBridge(actor: Actor<ActivationMachine>, now: () => number): TokenBridge {
  const waiting = new Map<number, WaitingCall>();
  let lastRequestId = 0;
  let closed = false;
  let forward: TokenProvider | undefined;

  /** Settles the waiting calls an emitted answer names, each once. */
  const answer = (requestIds: readonly number[], settle: (call: WaitingCall) => void) => {
    for (const requestId of requestIds) {
      const call = waiting.get(requestId);
      waiting.delete(requestId);
      if (call) settle(call);
    }
  };
  actor.on('token.provided', ({ requestIds, token }) => answer(requestIds, (call) => call.resolve(token)));
  actor.on('token.refused', ({ requestIds, because }) =>
    answer(requestIds, (call) => call.reject(new TokenRefusedError(because))),
  );

  return {
    providerFor: (attempt) => () =>
      new Promise<string>((resolve, reject) => {
        if (closed) return forward ? forward().then(resolve, reject) : reject(new TokenRefusedError('stopped'));
        const requestId = ++lastRequestId;
        waiting.set(requestId, { resolve, reject });
        actor.send({ type: 'TOKEN_REQUESTED', requestId, attempt, at: now() });
      }),
    close() {
      closed = true;
      for (const { reject } of waiting.values()) reject(new TokenRefusedError('stopped'));
      waiting.clear();
    },
    forwardTo(provider) {
      forward = provider;
    },
  };
}
