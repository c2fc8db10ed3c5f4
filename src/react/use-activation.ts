// useActivation(): the controller's state in a React component, through useSyncExternalStore,
// with a server snapshot so server rendering (Next.js, react-dom/server) renders instead of
// throwing "Missing getServerSnapshot".
import { useCallback, useSyncExternalStore } from 'react';
import type { Activation } from '../activation/create-activation.js';
import type { ActivationState } from '../activation/view.js';

/**
 * The state each controller had when a component first read it. The server renders that (a
 * module-level controller on the server never leaves its first state: effects do not run
 * there), and hydration must render the same, whatever the client's controller did meanwhile;
 * React then re-renders with the live state. Weak, so a stopped controller is not kept alive.
 */
const firstSnapshots = new WeakMap<Activation, ActivationState>();

function firstSnapshotOf(activation: Activation): ActivationState {
  let state = firstSnapshots.get(activation);
  if (state === undefined) {
    state = activation.getSnapshot();
    firstSnapshots.set(activation, state);
  }
  return state;
}

/**
 * The controller's state, re-rendering on each change (the same object until something
 * changed, so unrelated renders cost nothing). Create the controller once, at module scope.
 *
 * @example
 * const activation = createActivation({ tag, fetchToken }).start();
 * function ChatStatus() {
 *   const { status } = useActivation(activation);
 *   return <p data-status={status}>{status}</p>;
 * }
 */
export function useActivation(activation: Activation): ActivationState {
  const subscribe = useCallback((onChange: () => void) => activation.subscribe(onChange), [activation]);
  const getSnapshot = useCallback(() => activation.getSnapshot(), [activation]);
  const getServerSnapshot = useCallback(() => firstSnapshotOf(activation), [activation]);
  return useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);
}
