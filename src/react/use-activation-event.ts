// useActivationEvent(): one of the controller's events (a failure to log, a refresh that
// failed) handled in a component, subscribed while it is mounted. The latest handler is called,
// so an inline arrow function does not resubscribe on every render.
import { useEffect, useRef } from 'react';
import type { Activation, ActivationEventName, ActivationEventOf } from '../activation/create-activation.js';

/**
 * @example
 * useActivationEvent(activation, 'activation.failed', ({ failure }) => report(failure.code));
 */
export function useActivationEvent<K extends ActivationEventName>(
  activation: Activation,
  type: K,
  handler: (event: ActivationEventOf<K>) => void,
): void {
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => activation.on(type, (event) => latest.current(event)), [activation, type]);
}
