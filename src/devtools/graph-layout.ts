// Lays a statechart model out as a graph with dagre (chosen by measurement, see docs/devtools.md):
// atomic states are boxes, compound and parallel states are clusters holding their children,
// and every transition of the model is one labelled arrow. Pure geometry, no DOM: the SVG
// drawing (graph-svg.ts) and the tests read the same result.
import { Graph, layout } from '@dagrejs/dagre';
import {
  edgeKey,
  type StatechartEdge,
  type StatechartModel,
  type StatechartNode,
} from '../inspect/statechart-model.js';

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** A rectangle by its centre, as dagre gives it. */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface LaidOutNode {
  readonly node: StatechartNode;
  /** An atomic or final state: a box; anything with children: a cluster drawn around them. */
  readonly cluster: boolean;
  readonly box: Box;
  /** For a cluster, its title badge: where the arrows entering or leaving the cluster attach. */
  readonly title: Box | undefined;
  /** The parent's initial child: drawn with the initial-state marker. */
  readonly initial: boolean;
}

export interface LaidOutEdge {
  readonly edge: StatechartEdge;
  /** `edgeKey(edge)`: matches the keys `takenEdgeKeys` gives for a transition XState took. */
  readonly key: string;
  /** One polyline per target; a transition back to its own state (targetless or re-entering) is a loop: a cubic curve's four points. */
  readonly paths: ReadonlyArray<readonly Point[]>;
  /** The label's centre; the label is `edge.label`. */
  readonly label: Point;
  readonly internal: boolean;
  /** Which paths are loops (drawn as curves). */
  readonly loops: readonly boolean[];
}

export interface GraphLayout {
  readonly width: number;
  readonly height: number;
  /** Every node of the model, the root included (as the outermost cluster). */
  readonly nodes: readonly LaidOutNode[];
  /** Every transition of the model, in the model's order. */
  readonly edges: readonly LaidOutEdge[];
}

/** Text metrics for the sizes dagre needs; the SVG uses the same font sizes (panel-css.ts). */
export const GRAPH_FONT = { nodePx: 12, labelPx: 10, charWidth: 0.62 } as const;
const NODE_HEIGHT = 28;
const INVOKE_LINE = 13;
const PADDING = 10;
const MARGIN = 8;

const textWidth = (text: string, px: number) => Math.ceil(text.length * px * GRAPH_FONT.charWidth);

/** The text a node shows as its name: a parallel state says so, the root is the machine id. */
export function nodeTitle(node: StatechartNode): string {
  return node.type === 'parallel' ? `${node.key} ∥` : node.key;
}

/**
 * An arrow's label on at most two lines, the trigger then its condition, so labels stay narrow:
 * `done activateTag` / `[activationSucceeded]`. Joined with a space it is the model's label.
 */
export function labelLines(edge: StatechartEdge): string[] {
  const cut = edge.label.indexOf(' [');
  if (edge.kind === 'always' || cut < 0) return [edge.label];
  return [edge.label.slice(0, cut), edge.label.slice(cut + 1)];
}

/** The second line of a box: the actors it invokes. */
export function invokeLine(node: StatechartNode): string | undefined {
  return node.invoke.length === 0 ? undefined : `invokes ${node.invoke.join(', ')}`;
}

export function layoutStatechart(model: StatechartModel): GraphLayout {
  const childrenOf = new Map<string, StatechartNode[]>();
  for (const node of model.nodes) {
    if (node.parent !== undefined) childrenOf.set(node.parent, [...(childrenOf.get(node.parent) ?? []), node]);
  }
  const isCluster = (node: StatechartNode) => (childrenOf.get(node.id)?.length ?? 0) > 0;
  const byId = new Map(model.nodes.map((node) => [node.id, node]));
  // dagre draws no edge to a cluster: a cluster's arrows attach to its title badge, a node inside it.
  const titleId = (id: string) => `${id}#title`;
  const anchorOf = (id: string) => (byId.get(id) !== undefined && isCluster(byId.get(id)!) ? titleId(id) : id);

  const graph = new Graph({ compound: true, multigraph: true });
  graph.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 26, edgesep: 8, marginx: MARGIN, marginy: MARGIN });
  for (const node of model.nodes) {
    if (isCluster(node)) {
      graph.setNode(node.id, {});
      const title = nodeTitle(node);
      graph.setNode(titleId(node.id), {
        width: textWidth(title, GRAPH_FONT.nodePx) + 2 * PADDING,
        height: NODE_HEIGHT - 6,
      });
      graph.setParent(titleId(node.id), node.id);
    } else {
      const invoked = invokeLine(node);
      const width =
        Math.max(
          textWidth(node.key, GRAPH_FONT.nodePx),
          invoked === undefined ? 0 : textWidth(invoked, GRAPH_FONT.labelPx),
        ) +
        2 * PADDING;
      graph.setNode(node.id, { width, height: NODE_HEIGHT + (invoked === undefined ? 0 : INVOKE_LINE) });
    }
    if (node.parent !== undefined) graph.setParent(node.id, node.parent);
  }

  const edgeNames: Array<{ edge: StatechartEdge; key: string; names: string[] }> = model.edges.map((edge) => {
    const key = edgeKey(edge);
    const targets = edge.targets.length === 0 ? [edge.source] : edge.targets;
    const names = targets.map((target, i) => {
      const name = `${key}>${i}`;
      // The label rides on the first path only; dagre makes room for it there.
      const lines = labelLines(edge);
      const label =
        i === 0
          ? {
              width: Math.max(...lines.map((line) => textWidth(line, GRAPH_FONT.labelPx))) + 6,
              height: lines.length * (GRAPH_FONT.labelPx + 2) + 2,
              labelpos: 'c' as const,
            }
          : {};
      graph.setEdge(anchorOf(edge.source), anchorOf(target), { ...label, minlen: 1 }, name);
      return name;
    });
    return { edge, key, names };
  });

  layout(graph);

  const boxOf = (id: string): Box => {
    const {
      x = 0,
      y = 0,
      width = 0,
      height = 0,
    } = graph.node(id) as { x?: number; y?: number; width?: number; height?: number };
    return { x, y, width, height };
  };
  const nodes: LaidOutNode[] = model.nodes.map((node) => {
    const parent = node.parent === undefined ? undefined : byId.get(node.parent);
    return {
      node,
      cluster: isCluster(node),
      box: boxOf(node.id),
      title: isCluster(node) ? boxOf(titleId(node.id)) : undefined,
      initial: parent?.initial === node.id,
    };
  });
  const edges: LaidOutEdge[] = edgeNames.map(({ edge, key, names }) => {
    const labelled = graph.edge({
      v: anchorOf(edge.source),
      w: anchorOf(edge.targets[0] ?? edge.source),
      name: names[0]!,
    }) as { x?: number; y?: number };
    const label = { x: labelled.x ?? 0, y: labelled.y ?? 0 };
    const paths = names.map((name, i) => {
      const [from, to] = endpointsOf(edge, i, anchorOf);
      // dagre leaves room for a loop's label beside its node; the loop is drawn out to that label and back.
      if (from === to) return loopTo(boxOf(from), label);
      return ((graph.edge({ v: from, w: to, name }) as { points?: Point[] }).points ?? []).map(({ x, y }) => ({
        x,
        y,
      }));
    });
    const loops = names.map((_, i) => {
      const [from, to] = endpointsOf(edge, i, anchorOf);
      return from === to;
    });
    return { edge, key, paths, label, internal: edge.targets.length === 0, loops };
  });
  const { width = 0, height = 0 } = graph.graph() as { width?: number; height?: number };
  return { width, height, nodes, edges };
}

/**
 * A transition back to its own state: out of the box's side facing the label, round the label,
 * and back in a little further along. Points of a cubic curve: start, two controls, end.
 */
function loopTo(box: Box, label: Point): Point[] {
  const dx = label.x - box.x;
  const dy = label.y - box.y;
  const length = Math.hypot(dx, dy) || 1;
  const [ux, uy] = [dx / length, dy / length];
  // Where the ray from the centre towards the label leaves the box.
  const scale = Math.min(box.width / 2 / Math.max(Math.abs(ux), 1e-6), box.height / 2 / Math.max(Math.abs(uy), 1e-6));
  const exit = { x: box.x + ux * scale, y: box.y + uy * scale };
  const [px, py] = [-uy * 7, ux * 7];
  const reach = Math.max(length - scale, 12);
  const far = { x: exit.x + ux * reach * 1.4, y: exit.y + uy * reach * 1.4 };
  return [
    { x: exit.x + px, y: exit.y + py },
    { x: far.x + px * 3, y: far.y + py * 3 },
    { x: far.x - px * 3, y: far.y - py * 3 },
    { x: exit.x - px, y: exit.y - py },
  ];
}

function endpointsOf(edge: StatechartEdge, index: number, anchorOf: (id: string) => string): [string, string] {
  return [anchorOf(edge.source), anchorOf(edge.targets[index] ?? edge.source)];
}
