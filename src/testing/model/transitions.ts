// The transitions of a machine definition, each named by its source state, its event and its
// rank among that event's candidates (one per guarded branch), so the transitions a run took
// (seen through XState's inspection) can be compared with the ones the definition has.
import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';

/** `source|event|rank`; eventless (`always`) transitions have the event `always`. */
export function transitionKey(transition: AnyTransitionDefinition): string {
  const { source, eventType } = transition;
  const candidates: readonly AnyTransitionDefinition[] =
    eventType === '' ? (source.always ?? []) : (source.transitions.get(eventType) ?? []);
  return `${source.id}|${eventType === '' ? 'always' : eventType}|${candidates.indexOf(transition)}`;
}

/** Every transition of the machine's definition, as `transitionKey`s. */
export function machineTransitions(machine: AnyStateMachine): Set<string> {
  const keys = new Set<string>();
  const visit = (node: AnyStateNode) => {
    for (const candidates of node.transitions.values())
      for (const transition of candidates) keys.add(transitionKey(transition));
    for (const transition of node.always ?? []) keys.add(transitionKey(transition));
    for (const child of Object.values(node.states)) visit(child);
  };
  visit(machine.root);
  return keys;
}
