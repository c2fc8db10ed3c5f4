// Variants of the real activation machine: its own config with one state changed, and its
// own implementations, so a variant differs from the original in exactly that one place.
import { createMachine } from 'xstate';
import { activationMachine, type ActivationMachine } from '../../machines/activation.js';

/** A state's config as data: read what you change, spread the rest. */
export type StateConfig = Readonly<Record<string, unknown>>;

/** The machine with the state at `path` (e.g. ['secured', 'tag', 'activating']) replaced by `change(state)`. */
export function variant(path: readonly string[], change: (state: StateConfig) => StateConfig): ActivationMachine {
  const replace = (
    states: Record<string, StateConfig>,
    [name, ...rest]: readonly string[],
  ): Record<string, StateConfig> => {
    const state = states[name!];
    if (!state) throw new Error(`the activation machine has no state '${name}'`);
    return {
      ...states,
      [name!]:
        rest.length === 0
          ? change(state)
          : { ...state, states: replace(state.states as Record<string, StateConfig>, rest) },
    };
  };
  const config = activationMachine.config;
  return createMachine(
    {
      ...config,
      states: replace(config.states as unknown as Record<string, StateConfig>, path),
    } as unknown as typeof config,
    activationMachine.implementations as never,
  ) as unknown as ActivationMachine;
}
