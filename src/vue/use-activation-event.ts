// useActivationEvent(): one of the controller's events handled while the calling scope lives.
import { getCurrentScope, onScopeDispose } from 'vue';
import type { Activation, ActivationEventName, ActivationEventOf } from '../activation/create-activation.js';
import { inBrowser } from './client.js';

/**
 * @example
 * useActivationEvent(activation, 'activation.failed', ({ failure }) => report(failure.code));
 */
export function useActivationEvent<K extends ActivationEventName>(
  activation: Activation,
  type: K,
  handler: (event: ActivationEventOf<K>) => void,
): void {
  if (!inBrowser()) return;
  const unsubscribe = activation.on(type, handler);
  if (getCurrentScope()) onScopeDispose(unsubscribe);
}
