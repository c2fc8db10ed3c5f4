// useActivation(): the controller's state as a read-only shallow ref, unsubscribed when the
// calling scope (component, effectScope) is disposed. On the server it is the current state,
// without a subscription.
import { getCurrentScope, onScopeDispose, shallowReadonly, shallowRef, type ShallowRef } from 'vue';
import type { Activation } from '../activation/create-activation.js';
import type { ActivationState } from '../activation/view.js';
import { inBrowser } from './client.js';

/**
 * The controller's state; `.value` is replaced (a new object) on each change, never mutated,
 * hence a shallow ref. Create the controller once, at module scope.
 *
 * @example
 * const state = useActivation(activation);
 * // <p :data-status="state.status">…</p>
 */
export function useActivation(activation: Activation): Readonly<ShallowRef<ActivationState>> {
  const state = shallowRef(activation.getSnapshot());
  if (inBrowser()) {
    const unsubscribe = activation.subscribe((next) => {
      state.value = next;
    });
    // Outside any scope (module-level use) the ref follows the controller for the page's life.
    if (getCurrentScope()) onScopeDispose(unsubscribe);
  }
  return shallowReadonly(state);
}
