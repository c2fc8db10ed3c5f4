// Draws a laid-out statechart as SVG: clusters first (outermost at the back), then arrows, then
// state boxes and labels on top. Text goes in through textContent, never markup, so a state or
// event name cannot inject anything. `mark` re-colours on each snapshot without a new layout.
import {
  invokeLine,
  labelLines,
  nodeTitle,
  GRAPH_FONT,
  type GraphLayout,
  type LaidOutEdge,
  type LaidOutNode,
  type Point,
  type Box,
} from './graph-layout.js';

const SVG = 'http://www.w3.org/2000/svg';

export interface StatechartSvg {
  readonly element: SVGSVGElement;
  /** Marks the active nodes (ids) and the transitions last taken (edge keys); clears the rest. */
  mark(active: ReadonlySet<string>, lastTaken: ReadonlySet<string>): void;
}

let instances = 0;

export function drawStatechart(layout: GraphLayout, machineId: string): StatechartSvg {
  // Ids are per drawing: two panels (or two machines) on one page must not share a marker.
  const arrowId = `iadvize-devtools-arrow-${instances++}`;
  const svg = el('svg', {
    viewBox: `0 0 ${fmt(layout.width)} ${fmt(layout.height)}`,
    width: fmt(layout.width),
    height: fmt(layout.height),
    role: 'img',
    class: 'graph',
  });
  svg.setAttribute(
    'aria-label',
    `Statechart of ${machineId}: ${layout.nodes.length} states, ${layout.edges.length} transitions`,
  );
  const defs = el('defs', {});
  for (const [suffix, cls] of [
    ['', 'arrow-head'],
    ['-last', 'arrow-head last'],
  ] as const) {
    const marker = el('marker', {
      id: `${arrowId}${suffix}`,
      viewBox: '0 0 8 8',
      refX: '7',
      refY: '4',
      markerWidth: '7',
      markerHeight: '7',
      orient: 'auto-start-reverse',
    });
    marker.append(el('path', { d: 'M0,0 L8,4 L0,8 z', class: cls }));
    defs.append(marker);
  }
  svg.append(defs);

  const depth = (node: LaidOutNode) => node.node.path.length;
  const clusters = layout.nodes.filter((node) => node.cluster).sort((a, b) => depth(a) - depth(b));
  const boxes = layout.nodes.filter((node) => !node.cluster);
  const nodeElements = new Map<string, SVGGElement>();

  for (const cluster of clusters) {
    const group = el('g', { class: `state cluster ${cluster.node.type}`, 'data-state': cluster.node.id });
    const { box, title } = cluster;
    group.append(boxRect(box, '8', 'frame'));
    if (title !== undefined) {
      group.append(boxRect(title, '4', 'title'));
      group.append(text(nodeTitle(cluster.node), title.x, title.y + GRAPH_FONT.nodePx * 0.35, 'name'));
    }
    describe(group, cluster);
    nodeElements.set(cluster.node.id, group);
    svg.append(group);
  }

  const edgeElements = new Map<string, SVGGElement>();
  const edgeLayer = el('g', { class: 'edges' });
  const labelLayer = el('g', { class: 'labels' });
  for (const edge of layout.edges) {
    const group = el('g', {
      class: `transition${edge.internal ? ' internal' : ''}`,
      'data-edge': edge.key,
      'data-source': edge.edge.source,
    });
    edge.paths.forEach((path, i) =>
      group.append(el('path', { d: pathData(path, edge.loops[i]!), class: 'arrow', 'marker-end': `url(#${arrowId})` })),
    );
    const tooltip = el('title', {});
    tooltip.textContent = edgeTooltip(edge);
    group.append(tooltip);
    edgeLayer.append(group);
    edgeElements.set(edge.key, group);
    labelLayer.append(labelOf(edge));
  }
  svg.append(edgeLayer);

  for (const leaf of boxes) {
    const { box } = leaf;
    const group = el('g', {
      class: `state ${leaf.node.type}${leaf.initial ? ' initial' : ''}`,
      'data-state': leaf.node.id,
    });
    group.append(boxRect(box, '6', 'frame'));
    const invoked = invokeLine(leaf.node);
    const nameY = invoked === undefined ? box.y + GRAPH_FONT.nodePx * 0.35 : box.y - 2;
    group.append(text(leaf.node.key, box.x, nameY, 'name'));
    if (invoked !== undefined) group.append(text(invoked, box.x, box.y + GRAPH_FONT.labelPx + 2, 'invoke'));
    if (leaf.initial)
      group.append(
        el('circle', { cx: fmt(box.x - box.width / 2), cy: fmt(box.y - box.height / 2), r: '4', class: 'initial-dot' }),
      );
    describe(group, leaf);
    nodeElements.set(leaf.node.id, group);
    svg.append(group);
  }
  svg.append(labelLayer);

  return {
    element: svg,
    mark(active, lastTaken) {
      for (const [id, group] of nodeElements) group.classList.toggle('active', active.has(id));
      for (const [key, group] of edgeElements) {
        const last = lastTaken.has(key);
        group.classList.toggle('last', last);
        for (const path of group.querySelectorAll('path'))
          path.setAttribute('marker-end', `url(#${arrowId}${last ? '-last' : ''})`);
        // The last transition drawn on top of the others.
        if (last) group.parentNode?.append(group);
      }
      for (const label of labelLayer.children)
        label.classList.toggle('last', lastTaken.has((label as SVGElement).dataset.edge ?? ''));
    },
  };
}

function labelOf(edge: LaidOutEdge): SVGGElement {
  const lines = labelLines(edge.edge);
  const group = el('g', { class: `label${edge.internal ? ' internal' : ''}`, 'data-edge': edge.key });
  const lineHeight = GRAPH_FONT.labelPx + 2;
  const top = edge.label.y - (lines.length * lineHeight) / 2;
  const width = Math.max(...lines.map((line) => line.length)) * GRAPH_FONT.labelPx * GRAPH_FONT.charWidth + 6;
  group.append(
    el('rect', {
      x: fmt(edge.label.x - width / 2),
      y: fmt(top),
      width: fmt(width),
      height: fmt(lines.length * lineHeight + 1),
      rx: '3',
      class: 'label-bg',
    }),
  );
  lines.forEach((line, i) =>
    group.append(text(line, edge.label.x, top + (i + 1) * lineHeight - 3, i === 0 ? 'trigger' : 'guard')),
  );
  return group;
}

/** A state's description, entry/exit actions and invoked actors, as its hover text. */
function describe(group: SVGGElement, laidOut: LaidOutNode): void {
  const { node } = laidOut;
  const lines = [
    node.id,
    node.description,
    node.entry.length > 0 ? `entry: ${node.entry.join(', ')}` : undefined,
    node.exit.length > 0 ? `exit: ${node.exit.join(', ')}` : undefined,
    node.invoke.length > 0 ? `invokes: ${node.invoke.join(', ')}` : undefined,
  ].filter((line): line is string => line !== undefined);
  const title = el('title', {});
  title.textContent = lines.join('\n');
  group.prepend(title);
}

function edgeTooltip({ edge }: LaidOutEdge): string {
  const targets = edge.targets.length === 0 ? '(stays)' : `→ ${edge.targets.join(', ')}`;
  const actions = edge.actions.length === 0 ? '' : ` / ${edge.actions.join(', ')}`;
  return `${edge.label} ${targets}${actions}${edge.description === undefined ? '' : `\n${edge.description}`}`;
}

function pathData(points: readonly Point[], loop: boolean): string {
  if (loop && points.length === 4) return `M${xy(points[0]!)} C${xy(points[1]!)} ${xy(points[2]!)} ${xy(points[3]!)}`;
  return points.map((point, i) => `${i === 0 ? 'M' : 'L'}${xy(point)}`).join(' ');
}

const xy = (point: Point) => `${fmt(point.x)},${fmt(point.y)}`;

function text(content: string, x: number, y: number, cls: string): SVGTextElement {
  const node = el('text', { x: fmt(x), y: fmt(y), 'text-anchor': 'middle', class: cls });
  node.textContent = content;
  return node;
}

function el<K extends keyof SVGElementTagNameMap>(
  name: K,
  attributes: Record<string, string>,
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  return element;
}

const fmt = (n: number) => String(Math.round(n * 10) / 10);

/** A rounded rectangle over a laid-out box (centred at x, y, as the layout gives it). */
function boxRect(box: Box, rx: string, className: string): SVGRectElement {
  return el('rect', {
    x: fmt(box.x - box.width / 2),
    y: fmt(box.y - box.height / 2),
    width: fmt(box.width),
    height: fmt(box.height),
    rx,
    class: className,
  });
}
