// The panel's styles, applied inside its shadow root only: the host page's CSS does not reach
// in and these rules do not leak out. What the page sets on the host element and inherits
// through it (fonts, letter-spacing...) is cut by `all: initial` on the panel itself.
export const PANEL_CSS = `
.panel { all: initial; }
* { box-sizing: border-box; }
.panel { display: block; color-scheme: light; font: 13px/1.4 system-ui, -apple-system, 'Segoe UI', sans-serif; color: #1f2933; background: #fff; border: 1px solid #bcccdc; border-radius: 10px; box-shadow: 0 4px 16px rgba(16, 42, 67, 0.18); overflow: hidden; }
.panel:not([data-floating]) { box-shadow: none; }
.panel[data-floating][data-expanded='true'] { width: min(880px, calc(100vw - 24px)); max-height: calc(100vh - 24px); display: flex; flex-direction: column; }
.toggle { all: unset; box-sizing: border-box; display: flex; gap: 8px; align-items: center; width: 100%; padding: 6px 10px; cursor: pointer; background: #102a43; color: #f0f4f8; font-weight: 600; }
.toggle:focus-visible { outline: 3px solid #fcc419; outline-offset: -3px; }
.toggle .chevron { margin-left: auto; font-weight: normal; }
.body { padding: 8px 10px 10px; overflow: auto; min-height: 0; }
.body[hidden] { display: none; }
h3 { margin: 10px 0 4px; font-size: 13px; }
h3 .muted { font-weight: normal; }
.muted { color: #627d98; font-size: 12px; }
.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 2px 10px; margin: 0; }
.facts dt { color: #486581; }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.status { font-weight: 700; padding: 0 6px; border-radius: 4px; background: #e4e7eb; color: #323f4b; }
.status[data-known='true'][data-status='active'] { background: #d3f9d8; color: #2b8a3e; }
.status[data-known='true'][data-status='anonymous'] { background: #fff3bf; color: #a05e03; }
.status[data-known='true'][data-status='failed'] { background: #ffe3e3; color: #c92a2a; }
.status[data-known='true'][data-status='fetching-token'], .status[data-known='true'][data-status='activating'], .status[data-known='true'][data-status='signing-out'] { background: #d0ebff; color: #1864ab; }
.failure { border-left: 4px solid #d64545; background: #fff5f5; padding: 4px 8px; margin-top: 8px; overflow-wrap: anywhere; }
.failure.refresh { border-color: #de911d; background: #fffbea; }
.failure p { margin: 2px 0; }
.failure[hidden] { display: none; }
button.small { font: inherit; font-size: 12px; padding: 2px 8px; border: 1px solid #9fb3c8; border-radius: 6px; background: #f0f4f8; color: #1f2933; cursor: pointer; }
button.small:focus-visible { outline: 2px solid #2f80ed; outline-offset: 1px; }
.row { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.graph-box { overflow: auto; max-height: 60vh; border: 1px solid #e4e7eb; border-radius: 6px; background: #fbfcfd; }
.graph-box[data-fit='true'] svg { width: 100%; height: auto; }
svg.graph { display: block; font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; }
.state .frame { fill: #fff; stroke: #9aa5b1; stroke-width: 1; }
.state.cluster > .frame { fill: rgba(240, 244, 248, 0.55); }
.state.cluster.parallel > .frame { stroke-dasharray: none; }
.state.cluster .title { fill: #e4e7eb; stroke: none; }
[data-state] .name { font-size: 12px; font-weight: 600; fill: #1f2933; }
.invoke { font-size: 10px; fill: #627d98; }
.initial-dot { fill: #52606d; }
.state.active > .frame { stroke: #2f80ed; stroke-width: 2.5; fill: #eaf2fe; }
.state.cluster.active > .frame { fill: rgba(234, 242, 254, 0.6); }
.state.cluster.active > .title { fill: #a5d8ff; }
.transition .arrow { fill: none; stroke: #7b8794; stroke-width: 1; }
.transition.internal .arrow { stroke-dasharray: 3 2; }
.transition.last .arrow { stroke: #e8590c; stroke-width: 2.5; }
.arrow-head { fill: #7b8794; }
.arrow-head.last { fill: #e8590c; }
.label-bg { fill: rgba(255, 255, 255, 0.88); }
.label text { font-size: 10px; fill: #334e68; }
.label .guard { fill: #627d98; }
.label.last text { fill: #d9480f; font-weight: 700; }
.label.last .label-bg { fill: #fff4e6; }
.legend { display: flex; flex-wrap: wrap; gap: 10px; margin: 4px 0; }
.legend .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; vertical-align: -1px; margin-right: 4px; }
.legend .swatch.active { background: #eaf2fe; border: 2px solid #2f80ed; }
.legend .swatch.last { background: #e8590c; }
.timeline { margin: 4px 0 0; padding: 0; list-style: none; font: 11.5px/1.45 ui-monospace, 'SFMono-Regular', Menlo, monospace; max-height: 260px; overflow: auto; border: 1px solid #e4e7eb; border-radius: 6px; }
.timeline li { white-space: pre-wrap; overflow-wrap: anywhere; border-bottom: 1px solid #f0f4f8; padding: 1px 6px; }
.timeline li.emitted { color: #1864ab; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;
