// mountDevtools(): the inspection panel for any page. It lives in a shadow root (the page's CSS
// and this panel's never meet), draws the controller's own machine as a graph, and follows the
// actor through XState's system-level inspection, so it can be mounted after createActivation.
import type { InspectionEvent } from 'xstate';
import type { Activation } from '../activation/create-activation.js';
import type { ActivationState } from '../activation/view.js';
import type { Failure } from '../../machines/failures.js';
import { createInspector, type Inspector } from '../inspect/inspector.js';
import { activeNodeIds, takenEdgeKeys, toStatechartModel, type StatechartModel } from '../inspect/statechart-model.js';
import { redactText } from '../redact.js';
import { createFreshnessClock, describeFreshness } from './freshness.js';
import { layoutStatechart } from './graph-layout.js';
import { drawStatechart, type StatechartSvg } from './graph-svg.js';
import { PANEL_CSS } from './panel-css.js';
import { buildReport, REPORT_FILE_NAME, type DevtoolsReport } from './report.js';

export interface DevtoolsOptions {
  /** Mount inline in this element. Default: a floating panel at the bottom right of `document.body`. */
  readonly container?: HTMLElement;
  /**
   * The inspector given to createActivation's `inspect` option, if any: the timeline then starts
   * at the controller's creation. Default: a new one, recording from the mount on.
   */
  readonly inspector?: Inspector;
  /** Start collapsed to the title bar (default false). */
  readonly collapsed?: boolean;
  /** The clock for the token's freshness (default `Date.now`). */
  readonly now?: () => number;
}

export interface Devtools {
  /** The element holding the shadow root. */
  readonly host: HTMLElement;
  expand(): void;
  collapse(): void;
  /** What "Download JSON" saves: redacted, no token. */
  report(): DevtoolsReport;
  /** Removes the panel and stops following the actor. */
  unmount(): void;
}

/** The host element's own box, whatever the page's `* { … }` says (inherited text styles are reset inside). */
const HOST_BOX = {
  display: 'block',
  margin: '0',
  padding: '0',
  border: '0',
  background: 'none',
  'box-shadow': 'none',
  float: 'none',
  transform: 'none',
  filter: 'none',
  opacity: '1',
  visibility: 'visible',
  width: 'auto',
  height: 'auto',
};

/** Where a floating panel sits: bottom right, above the page. */
const FLOATING = {
  position: 'fixed',
  right: '12px',
  bottom: '12px',
  'z-index': '2147483000',
  'max-width': 'calc(100vw - 24px)',
};

/** The statuses this version knows; any other is shown as is, in neutral colours. */
const KNOWN_STATUSES = new Set([
  'inactive',
  'anonymous',
  'fetching-token',
  'activating',
  'active',
  'failed',
  'signing-out',
]);

export function mountDevtools(activation: Activation, options: DevtoolsOptions = {}): Devtools {
  const now = options.now ?? Date.now;
  const { actor } = activation;
  // A custom element name: the page's `div { … }` rules do not match it. Inline !important
  // declarations (set through the CSSOM, which a strict CSP allows) beat the page's `* { … }`.
  const host = document.createElement('iadvize-devtools');
  host.setAttribute('data-iadvize-devtools', '');
  const floating = options.container === undefined;
  const hostStyle: Record<string, string> = { ...HOST_BOX, ...(floating ? FLOATING : {}) };
  for (const [name, value] of Object.entries(hostStyle)) host.style.setProperty(name, value, 'important');
  const root = host.attachShadow({ mode: 'open' });
  adoptStyles(root, PANEL_CSS);
  root.append(panelTemplate());
  if (floating) root.querySelector('.panel')!.setAttribute('data-floating', '');
  const find = <E extends Element = HTMLElement>(testId: string) => root.querySelector<E>(`[data-testid="${testId}"]`)!;

  const model = toStatechartModel(actor.logic);
  const chart = drawChart(model, find('devtools-graph'));

  const inspector = options.inspector ?? createInspector({ now });
  const freshness = createFreshnessClock(now);
  let lastTaken = new Set<string>();
  let pendingTaken: string[] = [];

  // Follows the controller's own actor: its microsteps name the transitions taken, and its
  // snapshot ends the step. (Not reset on `@xstate.event`: XState reports an event when it is
  // sent, and an actor the step starts may send one before the step's snapshot.)
  const onInspection = (event: InspectionEvent) => {
    if (options.inspector === undefined) inspector.inspect(event);
    if (event.actorRef !== actor) return;
    if (event.type === '@xstate.microstep')
      pendingTaken.push(...takenEdgeKeys(event._transitions as readonly unknown[]));
    else if (event.type === '@xstate.snapshot' && pendingTaken.length > 0) {
      lastTaken = new Set(pendingTaken);
      pendingTaken = [];
      schedule();
    }
  };
  const inspection = actor.system.inspect(onInspection);

  const renderMachine = () => {
    const snapshot = actor.getSnapshot();
    freshness.observe(snapshot.context);
    const active = activeNodeIds(model, snapshot.value);
    chart.mark(new Set(active), lastTaken);
    find('devtools-active').textContent = active.filter((id) => id !== model.id).join(', ');
    renderToken();
  };
  const renderToken = () => {
    const reading = freshness.read();
    const token = find('devtools-token');
    token.textContent = describeFreshness(reading);
    token.dataset.state = reading.state;
  };
  const renderState = (state: ActivationState) => {
    const status = find('devtools-status');
    status.textContent = state.status;
    status.dataset.status = state.status;
    status.dataset.known = String(KNOWN_STATUSES.has(state.status));
    const badge = find('devtools-badge');
    badge.textContent = state.status;
    badge.dataset.status = state.status;
    badge.dataset.known = status.dataset.known;
    find('devtools-identity').textContent =
      state.identity === undefined
        ? state.signedIn
          ? 'signed in, identity not given'
          : 'signed out'
        : redactText(state.identity);
    showFailure(find('devtools-failure'), state.failure);
    showFailure(find('devtools-refresh-failure'), state.refreshFailure);
  };
  const renderTimeline = () => {
    const list = find<HTMLOListElement>('devtools-timeline');
    const items = inspector
      .format()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        const item = document.createElement('li');
        item.textContent = line;
        if (/^\+\d+ms\s+(\S+ )?emitted /.test(line)) item.className = 'emitted';
        return item;
      });
    list.replaceChildren(...items);
    list.scrollTop = list.scrollHeight;
  };

  let scheduled = false;
  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      if (!mounted) return;
      renderMachine();
      renderState(activation.getSnapshot());
      renderTimeline();
    });
  }

  // The fallback when the context says nothing of the token: the events that bring one.
  const tokenEvents = (['activation.secured', 'token.refreshed'] as const).map((type) =>
    typeof activation.on === 'function' ? activation.on(type, () => freshness.noteTokenEvent()) : () => undefined,
  );

  const subscriptions = [
    ...tokenEvents.map((unsubscribe) => ({ unsubscribe })),
    actor.subscribe({ next: schedule, error: () => undefined }),
    { unsubscribe: activation.subscribe(schedule) },
    { unsubscribe: inspector.subscribe(schedule) },
    inspection,
  ];
  const ticker = setInterval(() => mounted && renderToken(), 1000);

  const panel = find('devtools-panel');
  const toggle = find<HTMLButtonElement>('devtools-toggle');
  const body = find('devtools-body');
  const setExpanded = (expanded: boolean) => {
    panel.dataset.expanded = String(expanded);
    toggle.setAttribute('aria-expanded', String(expanded));
    find('devtools-chevron').textContent = expanded ? 'hide ▾' : 'show ▸';
    body.hidden = !expanded;
  };
  toggle.addEventListener('click', () => setExpanded(body.hidden));
  panel.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || body.hidden) return;
    event.stopPropagation();
    setExpanded(false);
    toggle.focus();
  });

  const fitButton = find<HTMLButtonElement>('devtools-fit');
  const graphBox = find('devtools-graph');
  // The button says what it will do: show the whole chart, or its actual size (scrollable).
  fitButton.addEventListener('click', () => {
    const fit = graphBox.dataset.fit !== 'true';
    graphBox.dataset.fit = String(fit);
    fitButton.textContent = fit ? 'Actual size' : 'Fit to width';
  });

  const report = () => buildReport(activation, inspector, freshness.read(), now());
  const reportText = () => `${JSON.stringify(report(), null, 2)}\n`;
  const said = find('devtools-export-status');
  find('devtools-download').addEventListener('click', () => {
    const url = URL.createObjectURL(new Blob([reportText()], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = REPORT_FILE_NAME;
    root.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 0);
    said.textContent = `saved as ${REPORT_FILE_NAME}`;
  });
  find('devtools-copy').addEventListener('click', () => {
    navigator.clipboard.writeText(reportText()).then(
      () => void (said.textContent = 'copied to the clipboard'),
      () => void (said.textContent = 'the browser refused the clipboard: use Download'),
    );
  });

  let mounted = true;
  setExpanded(options.collapsed !== true);
  (options.container ?? document.body).append(host);
  renderMachine();
  renderState(activation.getSnapshot());
  renderTimeline();

  return {
    host,
    expand: () => setExpanded(true),
    collapse: () => setExpanded(false),
    report,
    unmount() {
      if (!mounted) return;
      mounted = false;
      clearInterval(ticker);
      for (const subscription of subscriptions) subscription.unsubscribe();
      host.remove();
    },
  };
}

/**
 * The graph, or a line saying why there is none: a machine the layout cannot handle must not
 * take the rest of the panel (status, failure, timeline) down with it, nor the host page.
 */
function drawChart(model: StatechartModel, box: HTMLElement): Pick<StatechartSvg, 'mark'> {
  try {
    const chart = drawStatechart(layoutStatechart(model), model.id);
    box.append(chart.element);
    return chart;
  } catch (error) {
    const note = document.createElement('p');
    note.className = 'muted';
    note.textContent = `The statechart could not be laid out: ${redactText(error instanceof Error ? error.message : String(error))}`;
    box.append(note);
    return { mark: () => undefined };
  }
}

function showFailure(section: HTMLElement, failure: Failure | undefined): void {
  section.hidden = failure === undefined;
  const part = (name: string) => section.querySelector<HTMLElement>(`[data-part="${name}"]`)!;
  part('code').textContent = failure?.code ?? '';
  part('phase').textContent = failure === undefined ? '' : `during ${failure.phase}`;
  part('reason').textContent = failure?.reason === undefined ? '' : redactText(failure.reason);
  part('advice').textContent = failure?.advice ?? '';
}

/** Constructed style sheets are not inline styles: a page's strict CSP (no 'unsafe-inline') allows them. */
function adoptStyles(root: ShadowRoot, css: string): void {
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
    return;
  }
  const style = document.createElement('style');
  style.textContent = css;
  root.append(style);
}

/** The panel's fixed markup: static text only; every live value goes in through textContent. */
function panelTemplate(): DocumentFragment {
  const template = document.createElement('template');
  const failure = (testId: string, title: string, cls: string) =>
    `<section class="${cls}" data-testid="${testId}" hidden><p><strong>${title}</strong> <code data-part="code"></code> <span class="muted" data-part="phase"></span></p><p class="muted" data-part="reason"></p><p data-part="advice"></p></section>`;
  template.innerHTML = `
<div class="panel" data-testid="devtools-panel">
  <button type="button" class="toggle" data-testid="devtools-toggle" aria-controls="devtools-body">
    <span>iadvize-activation devtools</span><span class="status" data-testid="devtools-badge"></span><span class="chevron" data-testid="devtools-chevron" aria-hidden="true"></span>
  </button>
  <div class="body" id="devtools-body" role="region" aria-label="iadvize-activation devtools" data-testid="devtools-body">
    <dl class="facts">
      <dt>Status</dt><dd><span class="status" data-testid="devtools-status"></span></dd>
      <dt>Identity</dt><dd data-testid="devtools-identity"></dd>
      <dt>Token</dt><dd data-testid="devtools-token"></dd>
      <dt>States</dt><dd class="muted" data-testid="devtools-active"></dd>
    </dl>
    ${failure('devtools-failure', 'Failed:', 'failure')}
    ${failure('devtools-refresh-failure', 'Token refresh failed:', 'failure refresh')}
    <h3>Statechart <span class="muted">drawn from the machine definition</span></h3>
    <div class="row legend"><span><span class="swatch active"></span>active states</span><span><span class="swatch last"></span>last transition</span><span class="muted">dashed: stays in its state</span>
      <button type="button" class="small" data-testid="devtools-fit">Actual size</button></div>
    <div class="graph-box" data-testid="devtools-graph" data-fit="true" tabindex="0" aria-label="Statechart, scrollable"></div>
    <h3>Timeline <span class="muted">tokens redacted</span></h3>
    <div class="row">
      <button type="button" class="small" data-testid="devtools-download">Download JSON</button>
      <button type="button" class="small" data-testid="devtools-copy">Copy JSON</button>
      <span class="muted" data-testid="devtools-export-status" role="status"></span>
    </div>
    <ol class="timeline" data-testid="devtools-timeline" aria-label="Timeline"></ol>
  </div>
</div>`;
  return template.content;
}
