// Mermaid `stateDiagram-v2` text generated from the machine definition, so the published
// diagram cannot drift from the code. Mermaid's grammar shapes a few choices here: labels may
// not contain `:` `;` or `#`; ids may not contain `-` or `.`; targetless transitions are drawn
// as lines inside their state (UML's internal transitions), or as a note for composite states.
import type { AnyStateMachine } from 'xstate';
import {
  toStatechartModel,
  type StatechartEdge,
  type StatechartModel,
  type StatechartNode,
} from './statechart-model.js';

export function toMermaid(machine: AnyStateMachine): string {
  return mermaidOf(toStatechartModel(machine));
}

function mermaidOf(model: StatechartModel): string {
  const byId = new Map(model.nodes.map((node) => [node.id, node]));
  const children = new Map<string, StatechartNode[]>();
  for (const node of model.nodes) {
    if (node.parent !== undefined) children.set(node.parent, [...(children.get(node.parent) ?? []), node]);
  }
  // Each edge is written inside the innermost composite holding both ends, after that
  // composite's states, so Mermaid never re-creates an inner state at the wrong level.
  const edgesIn = new Map<string, StatechartEdge[]>();
  for (const edge of model.edges) {
    const scope = edge.targets.length === 0 ? edge.source : scopeOf(edge, byId);
    edgesIn.set(scope, [...(edgesIn.get(scope) ?? []), edge]);
  }

  const lines = ['stateDiagram-v2', '  %% Generated from the machine definition (npm run docs). Do not edit by hand.'];
  const write = (depth: number, line: string) => lines.push(`${'  '.repeat(depth)}${line}`);

  const writeBody = (node: StatechartNode, depth: number) => {
    const kids = children.get(node.id) ?? [];
    kids.forEach((child, index) => {
      if (node.type === 'parallel' && index > 0) write(depth, '--');
      writeNode(child, depth);
    });
    if (node.initial !== undefined) write(depth, `[*] --> ${mermaidId(byId.get(node.initial)!)}`);
    for (const edge of edgesIn.get(node.id) ?? []) {
      if (edge.targets.length === 0) {
        writeInternal(node, edge, depth, kids);
      } else if (edge.source === model.id) {
        // The root has no box: its transitions apply in every state.
        const first = kids[0];
        if (first !== undefined)
          write(
            depth,
            `note right of ${mermaidId(first)} : ${text(`from any state, ${edge.label} to ${edge.targets.map((t) => byId.get(t)!.key).join(', ')}`)}`,
          );
      } else {
        for (const target of edge.targets)
          write(
            depth,
            `${mermaidId(byId.get(edge.source)!)} --> ${mermaidId(byId.get(target)!)} : ${text(edge.label)}`,
          );
      }
    }
  };

  const writeNode = (node: StatechartNode, depth: number) => {
    const id = mermaidId(node);
    if ((children.get(node.id) ?? []).length === 0) {
      write(depth, `state "${text(node.key)}" as ${id}`);
      for (const edge of edgesIn.get(node.id) ?? []) writeInternal(node, edge, depth, []);
      if (node.type === 'final') write(depth, `${id} --> [*]`);
      return;
    }
    write(depth, `state "${text(node.key)}" as ${id} {`);
    writeBody(node, depth + 1);
    write(depth, '}');
  };

  /** A targetless transition: a line inside an atomic state, a note beside a composite's first child. */
  const writeInternal = (
    node: StatechartNode,
    edge: StatechartEdge,
    depth: number,
    kids: readonly StatechartNode[],
  ) => {
    const what = `${edge.label} / ${edge.actions.length > 0 ? edge.actions.join(', ') : 'nothing'}`;
    if (kids.length === 0) {
      write(depth, `${mermaidId(node)} : ${text(what)}`);
      return;
    }
    const where =
      node.parent === undefined
        ? 'in any state (unless handled there)'
        : `in any ${node.key} state (unless handled there)`;
    write(depth, `note right of ${mermaidId(kids[0]!)} : ${text(`${where}, ${what}`)}`);
  };

  const root = byId.get(model.id)!;
  if (root.type === 'parallel') {
    // Mermaid reads `--` only inside a composite state: a parallel root gets a box of its own.
    const taken = new Set(model.nodes.map(mermaidId));
    let id = mermaidId({ path: [model.id] });
    while (taken.has(id)) id += '_';
    write(1, `state "${text(model.id)}" as ${id} {`);
    writeBody(root, 2);
    write(1, '}');
  } else {
    writeBody(root, 1);
  }
  return `${lines.join('\n')}\n`;
}

/** The innermost non-parallel node that strictly contains the source and every target. */
function scopeOf(edge: StatechartEdge, byId: ReadonlyMap<string, StatechartNode>): string {
  const ancestors = (id: string): string[] => {
    const chain: string[] = [];
    for (let node = byId.get(id)?.parent; node !== undefined; node = byId.get(node)?.parent) chain.push(node);
    return chain;
  };
  const candidates = ancestors(edge.source);
  const common = candidates.find((candidate) => edge.targets.every((target) => ancestors(target).includes(candidate)));
  let scope = common ?? candidates.at(-1) ?? edge.source;
  while (byId.get(scope)?.type === 'parallel' && byId.get(scope)?.parent !== undefined)
    scope = byId.get(scope)!.parent!;
  return scope;
}

/** Mermaid ids allow no dots or dashes: the path joined with `_`. */
function mermaidId(node: Pick<StatechartNode, 'path'>): string {
  return node.path.join('_').replace(/[^A-Za-z0-9_]/g, '_');
}

/** Mermaid ends a label at `:` or `;` and starts a comment at `#`. */
function text(value: string): string {
  return value
    .replace(/[:;#\n\r"]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
