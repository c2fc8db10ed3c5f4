// The provider handed to the tag: each call asks the machine for a token and waits for the
// machine's emitted answer. The machine decides (fresh token, shared refresh, or refusal).
import type { Actor } from 'xstate';
import type { ActivationMachine, TokenRefusal } from '../../machines/activation.js';
import type { TokenProvider } from '../tag/port.js';

/** The provider's rejection: no token may be handed out now. */
export class TokenRefusedError extends Error {
  override readonly name = 'TokenRefusedError';
  constructor(readonly because: TokenRefusal | 'stopped') {
    super(`no token handed out: ${because}`);
  }
}

export interface TokenBridge {
  /** A provider bound to one sign-in attempt; later attempts make stale calls of it refused. */
  providerFor(attempt: number): TokenProvider;
  /** Rejects every call still waiting (the controller stopped). */
  close(): void;
}

export function createTokenBridge(actor: Actor<ActivationMachine>): TokenBridge {
  const waiting = new Map<number, { resolve: (token: string) => void; reject: (error: Error) => void }>();
  let lastRequestId = 0;
  let closed = false;

  actor.on('token.provided', ({ requestIds, token }) => {
    for (const requestId of requestIds) {
      waiting.get(requestId)?.resolve(token);
      waiting.delete(requestId);
    }
  });
  actor.on('token.refused', ({ requestIds, because }) => {
    for (const requestId of requestIds) {
      waiting.get(requestId)?.reject(new TokenRefusedError(because));
      waiting.delete(requestId);
    }
  });

  return {
    providerFor: (attempt) => () =>
      new Promise<string>((resolve, reject) => {
        if (closed) return reject(new TokenRefusedError('stopped'));
        const requestId = ++lastRequestId;
        waiting.set(requestId, { resolve, reject });
        actor.send({ type: 'TOKEN_REQUESTED', requestId, attempt });
      }),
    close() {
      closed = true;
      for (const { reject } of waiting.values()) reject(new TokenRefusedError('stopped'));
      waiting.clear();
    },
  };
}
