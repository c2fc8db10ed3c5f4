// The statechart as plain HTML, for a page that shows the machine live without the Mermaid
// runtime (the demo runs offline): nested boxes, each listing its transitions, the active states
// marked. No layout engine is needed; re-render on each snapshot (the model is small).
import type { StatechartEdge, StatechartModel, StatechartNode } from './statechart-model.js';

export interface StatechartHtmlOptions {
  /** Ids of the active nodes, e.g. `activeNodeIds(model, snapshot.value)`: given the `sc-active` class. */
  readonly active?: readonly string[];
}

export function renderStatechartHtml(model: StatechartModel, options: StatechartHtmlOptions = {}): string {
  const active = new Set(options.active ?? []);
  const byId = new Map(model.nodes.map((node) => [node.id, node]));
  const childrenOf = (id: string) => model.nodes.filter((node) => node.parent === id);
  const edgesOf = (id: string) => model.edges.filter((edge) => edge.source === id);
  const pathOf = (id: string) => byId.get(id)?.path.join('.') ?? id;

  const transitions = (id: string, heading: string | undefined): string => {
    const edges = edgesOf(id);
    if (edges.length === 0) return '';
    const items = edges.map((edge) => `<li class="sc-${edge.targets.length === 0 ? 'internal' : 'external'}">${edgeHtml(edge, pathOf)}</li>`).join('');
    return `${heading === undefined ? '' : `<p class="sc-heading">${escape(heading)}</p>`}<ul class="sc-transitions">${items}</ul>`;
  };

  const nodeHtml = (node: StatechartNode, initial: boolean): string => {
    const kids = childrenOf(node.id);
    const classes = ['sc-state', `sc-${node.type}`, ...(active.has(node.id) ? ['sc-active'] : []), ...(initial ? ['sc-initial'] : [])];
    const title = node.description === undefined ? '' : ` title="${escape(node.description)}"`;
    const invoked = node.invoke.length === 0 ? '' : `<span class="sc-invoke">invokes ${escape(node.invoke.join(', '))}</span>`;
    return (
      `<section class="${classes.join(' ')}" data-state="${escape(node.id)}"${title}>` +
      `<header><span class="sc-name">${escape(node.key)}</span>${invoked}</header>` +
      transitions(node.id, undefined) +
      childrenHtml(node, kids) +
      '</section>'
    );
  };

  const childrenHtml = (node: StatechartNode, kids: readonly StatechartNode[]): string =>
    kids.length === 0 ? '' : `<div class="sc-children${node.type === 'parallel' ? ' sc-regions' : ''}">${kids.map((kid) => nodeHtml(kid, kid.id === node.initial)).join('')}</div>`;

  const root = byId.get(model.id);
  if (root === undefined) return '';
  return `<div class="sc-chart" data-machine="${escape(model.id)}">${transitions(root.id, 'in any state')}${childrenHtml(root, childrenOf(root.id))}</div>`;
}

function edgeHtml(edge: StatechartEdge, pathOf: (id: string) => string): string {
  const label = `<code>${escape(edge.label)}</code>`;
  const actions = edge.actions.length === 0 ? '' : ` <span class="sc-actions">/ ${escape(edge.actions.join(', '))}</span>`;
  const targets = edge.targets.map((target) => `<span class="sc-target">${escape(pathOf(target))}</span>`).join(', ');
  return edge.targets.length === 0 ? `${label}${actions}` : `${label} → ${targets}${actions}`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Default styles for renderStatechartHtml's classes; a page may use its own instead. */
export const STATECHART_CSS = `
.sc-chart { font: 13px/1.4 system-ui, sans-serif; }
.sc-state { border: 1px solid #9aa5b1; border-radius: 8px; padding: 4px 8px; margin: 6px 0; background: #fff; }
.sc-state.sc-initial > header .sc-name::before { content: '● '; color: #52606d; }
.sc-state.sc-active { border: 2px solid #2f80ed; background: #eaf2fe; }
.sc-state header { display: flex; gap: 8px; align-items: baseline; }
.sc-name { font-weight: 600; }
.sc-invoke, .sc-actions, .sc-heading { color: #52606d; font-size: 12px; }
.sc-transitions { list-style: none; margin: 2px 0; padding: 0; }
.sc-internal code { font-style: italic; }
.sc-target { font-weight: 600; }
.sc-children { padding-left: 12px; }
.sc-regions { display: flex; gap: 8px; padding-left: 0; }
.sc-regions > .sc-state { flex: 1; border-style: dashed; }
`;
