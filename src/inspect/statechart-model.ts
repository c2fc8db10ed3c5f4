// A plain-data model of a machine's statechart, read from the machine definition itself (never
// drawn by hand): nodes with their nesting, edges labelled with event, guard and actions. The
// Mermaid generator and the live renderers draw from it; a page can highlight the active nodes.
import type { AnyStateMachine, StateValue } from 'xstate';
import { actionName, guardName } from './names.js';

export type StatechartNodeType = 'atomic' | 'compound' | 'parallel' | 'final' | 'history';

export interface StatechartNode {
  /** XState's id for the node, e.g. `activation.visitor.secured.activation.active`; the machine id for the root. */
  readonly id: string;
  readonly key: string;
  /** Keys from the root, as in a state value (`['secured', 'tag', 'active']`); empty for the root. */
  readonly path: readonly string[];
  /** The parent's id; undefined for the root. */
  readonly parent: string | undefined;
  readonly type: StatechartNodeType;
  /** The initial child's id, for compound nodes. */
  readonly initial: string | undefined;
  readonly description: string | undefined;
  readonly entry: readonly string[];
  readonly exit: readonly string[];
  /** Names of the actors invoked while the node is active. */
  readonly invoke: readonly string[];
}

/** What fires a transition: an event, a delay, nothing (`always`), or an invoked actor's outcome. */
export type TriggerKind = 'event' | 'after' | 'always' | 'done' | 'error' | 'snapshot';

export interface StatechartEdge {
  readonly source: string;
  /** Empty for a targetless transition: its actions run and the state stays as it is. */
  readonly targets: readonly string[];
  readonly kind: TriggerKind;
  /** XState's own event type for the trigger (`xstate.after.…`, `xstate.done.actor.…`); '' for `always`. */
  readonly eventType: string;
  /** Position among the source's alternatives for this event type: with source and eventType, names the transition XState took. */
  readonly index: number;
  /** The event type, the delay's name, or the invoked actor's name; '' for `always`. */
  readonly trigger: string;
  readonly guard: string | undefined;
  /** Unguarded, after guarded alternatives for the same trigger: taken when none of them holds. */
  readonly otherwise: boolean;
  readonly actions: readonly string[];
  readonly description: string | undefined;
  /** e.g. `SIGN_IN [tagMayHoldSession]`, `after tokenFetchTimeout`, `done activateTag [else]`, `[always] tagIsAnonymous`. */
  readonly label: string;
}

export interface StatechartModel {
  /** The machine's id, which is also the root node's id. */
  readonly id: string;
  /** Every state node in document order, the root first. */
  readonly nodes: readonly StatechartNode[];
  /** Every transition in document order (per node: events, actor outcomes, delays, then `always`). */
  readonly edges: readonly StatechartEdge[];
}

/** The parts of XState's StateNode this module reads (see xstate/dist/declarations/src/StateNode.d.ts). */
interface DefinitionNode {
  readonly id: string;
  readonly key: string;
  readonly path: string[];
  readonly type: StatechartNodeType;
  readonly description?: string;
  readonly config: { readonly entry?: unknown; readonly exit?: unknown };
  readonly states: Record<string, DefinitionNode>;
  readonly initial: { readonly target: ReadonlyArray<{ readonly id: string }> };
  readonly transitions: Map<string, DefinitionTransition[]>;
  readonly always?: DefinitionTransition[];
  readonly after: ReadonlyArray<{ readonly eventType: string; readonly delay: unknown }>;
  readonly invoke: ReadonlyArray<{ readonly id: string; readonly src: unknown }>;
}

interface DefinitionTransition {
  readonly target: ReadonlyArray<{ readonly id: string }> | undefined;
  readonly guard?: unknown;
  readonly actions: readonly unknown[];
  readonly description?: string;
}

export function toStatechartModel(machine: AnyStateMachine): StatechartModel {
  const nodes: StatechartNode[] = [];
  const edges: StatechartEdge[] = [];
  const visit = (node: DefinitionNode, parent: string | undefined) => {
    nodes.push(describeNode(node, parent));
    edges.push(...edgesOf(node));
    for (const child of Object.values(node.states)) visit(child, node.id);
  };
  visit(machine.root as unknown as DefinitionNode, undefined);
  return { id: machine.id, nodes, edges };
}

/** Ids of the nodes active in a state value (a snapshot's `value`), ancestors included, root first. */
export function activeNodeIds(model: StatechartModel, value: StateValue): string[] {
  const byPath = new Map(model.nodes.map((node) => [node.path.join('.'), node.id]));
  const ids = [model.id];
  const walk = (sub: StateValue, prefix: readonly string[]) => {
    const entries: Array<[string, StateValue | undefined]> =
      typeof sub === 'string' ? [[sub, undefined]] : Object.entries(sub);
    for (const [key, inner] of entries) {
      const path = [...prefix, key];
      const id = byPath.get(path.join('.'));
      if (id !== undefined) ids.push(id);
      if (inner !== undefined) walk(inner, path);
    }
  };
  walk(value, []);
  return ids;
}

function describeNode(node: DefinitionNode, parent: string | undefined): StatechartNode {
  return {
    id: node.id,
    key: node.key,
    path: [...node.path],
    parent,
    type: node.type,
    initial: node.type === 'compound' ? node.initial.target[0]?.id : undefined,
    description: node.description,
    // The config, not the definition: the definition adds XState's own timer actions for `after`.
    entry: toArray(node.config.entry).map(actionName),
    exit: toArray(node.config.exit).map(actionName),
    invoke: node.invoke.map(actorName),
  };
}

function edgesOf(node: DefinitionNode): StatechartEdge[] {
  const triggers = triggersOf(node);
  const edges: StatechartEdge[] = [];
  for (const [eventType, transitions] of node.transitions) {
    const { kind, trigger } = triggers.get(eventType) ?? { kind: 'event', trigger: eventType };
    edges.push(...alternatives(node, kind, trigger, eventType, transitions));
  }
  edges.push(...alternatives(node, 'always', '', '', node.always ?? []));
  return edges;
}

/** XState files delays and actor outcomes under generated event types; map them back to their names. */
function triggersOf(node: DefinitionNode): Map<string, { kind: TriggerKind; trigger: string }> {
  const triggers = new Map<string, { kind: TriggerKind; trigger: string }>();
  for (const { eventType, delay } of node.after) {
    triggers.set(eventType, {
      kind: 'after',
      trigger: typeof delay === 'number' ? `${delay}ms` : typeof delay === 'string' ? delay : 'delay',
    });
  }
  for (const invoked of node.invoke) {
    const trigger = actorName(invoked);
    triggers.set(`xstate.done.actor.${invoked.id}`, { kind: 'done', trigger });
    triggers.set(`xstate.error.actor.${invoked.id}`, { kind: 'error', trigger });
    triggers.set(`xstate.snapshot.${invoked.id}`, { kind: 'snapshot', trigger });
  }
  triggers.set(`xstate.done.state.${node.id}`, { kind: 'done', trigger: node.key });
  return triggers;
}

/** One trigger's transitions, tried in order: the first whose guard holds is taken. */
function alternatives(
  node: DefinitionNode,
  kind: TriggerKind,
  trigger: string,
  eventType: string,
  transitions: readonly DefinitionTransition[],
): StatechartEdge[] {
  let guardedBefore = false;
  return transitions.map((transition, index) => {
    const guard = guardName(transition.guard);
    const otherwise = guard === undefined && guardedBefore;
    guardedBefore ||= guard !== undefined;
    return {
      source: node.id,
      targets: (transition.target ?? []).map((target) => target.id),
      kind,
      eventType,
      index,
      trigger,
      guard,
      otherwise,
      actions: transition.actions.map(actionName),
      description: transition.description,
      label: edgeLabel(kind, trigger, guard, otherwise),
    };
  });
}

function edgeLabel(kind: TriggerKind, trigger: string, guard: string | undefined, otherwise: boolean): string {
  if (kind === 'always') return guard !== undefined ? `[always] ${guard}` : otherwise ? '[always] else' : '[always]';
  const condition = guard !== undefined ? ` [${guard}]` : otherwise ? ' [else]' : '';
  return `${kind === 'event' ? trigger : `${kind} ${trigger}`}${condition}`;
}

function actorName(invoked: { readonly id: string; readonly src: unknown }): string {
  return typeof invoked.src === 'string' ? invoked.src : invoked.id;
}

function toArray(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Names one transition of the model: its source, XState's event type and its place among the alternatives. */
export function edgeKey(edge: Pick<StatechartEdge, 'source' | 'eventType' | 'index'>): string {
  return `${edge.source}|${edge.eventType}|${edge.index}`;
}

/** The parts of a transition XState reports in a `@xstate.microstep` inspection event. */
interface TakenTransition {
  readonly eventType: string;
  readonly source: DefinitionNode;
}

/**
 * The keys (as `edgeKey` writes them) of the transitions in a microstep's `_transitions`: found
 * by identity in the source node's definition, so guarded alternatives are told apart.
 */
export function takenEdgeKeys(transitions: readonly unknown[]): string[] {
  return (transitions as readonly TakenTransition[]).flatMap((taken) => {
    const { source, eventType } = taken;
    const always = (source.always ?? []).indexOf(taken as unknown as DefinitionTransition);
    if (always >= 0) return [edgeKey({ source: source.id, eventType: '', index: always })];
    const index = source.transitions.get(eventType)?.indexOf(taken as unknown as DefinitionTransition) ?? -1;
    return index >= 0 ? [edgeKey({ source: source.id, eventType, index })] : [];
  });
}
