// What the panel must draw, read straight from XState's StateNode tree (not through the
// statechart model the panel itself uses), and the shapes no token or key may take in its output.
import type { AnyStateMachine } from 'xstate';

interface DefinitionNode {
  readonly id: string;
  readonly states: Record<string, DefinitionNode>;
  readonly transitions: Map<string, readonly unknown[]>;
  readonly always?: readonly unknown[];
}

function walk(machine: AnyStateMachine): DefinitionNode[] {
  const nodes: DefinitionNode[] = [];
  const visit = (node: DefinitionNode) => {
    nodes.push(node);
    Object.values(node.states).forEach(visit);
  };
  visit(machine.root as unknown as DefinitionNode);
  return nodes;
}

/** Every state node id, the root (the machine id) included. */
export function definedStateIds(machine: AnyStateMachine): string[] {
  return walk(machine).map((node) => node.id);
}

/** Every transition: each alternative of each event (delays and actor outcomes included) and of `always`. */
export function definedTransitionCount(machine: AnyStateMachine): number {
  return walk(machine).reduce(
    (sum, node) =>
      sum + [...node.transitions.values()].reduce((n, list) => n + list.length, 0) + (node.always?.length ?? 0),
    0,
  );
}

/**
 * Compact JWS/JWE (a JOSE header is base64url `eyJ`); a compact JWE whatever its header (header,
 * encrypted key, then IV, ciphertext and tag of base64url bytes, not the short words of a state
 * path like `activation.secured.tag.active`); PEM armour.
 */
export const TOKEN_LIKE: readonly RegExp[] = [
  /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/,
  /[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]{16,}){3}/,
  /-----BEGIN [A-Z ]*KEY-----/,
];
