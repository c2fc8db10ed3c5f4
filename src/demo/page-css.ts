// The demo page's styles: two columns (the shop, the machine), cards, the chat bubble, and a
// compact layout for the statechart renderer's classes. Inlined by html.ts: no external asset.

export const PAGE_CSS = `
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', sans-serif; color: #1f2933; background: #f4f6f8; }
.top { padding: 14px 24px; background: #102a43; color: #f0f4f8; }
.top h1 { margin: 0 0 2px; font-size: 20px; }
.top p { margin: 0; color: #bcccdc; }
.columns { display: grid; grid-template-columns: minmax(320px, 420px) minmax(0, 1fr); gap: 16px; padding: 16px 24px; align-items: start; }
.column { display: flex; flex-direction: column; gap: 12px; min-width: 0; }
.card { background: #fff; border: 1px solid #d9e2ec; border-radius: 10px; padding: 12px 16px; }
.card h2 { margin: 0 0 8px; font-size: 15px; }
.muted { color: #627d98; font-weight: normal; font-size: 12px; }
.identity { font-weight: 600; overflow-wrap: anywhere; }
.sign-in { display: flex; flex-wrap: wrap; gap: 6px; margin-bottom: 6px; }
button { font: inherit; padding: 4px 10px; border: 1px solid #9fb3c8; border-radius: 6px; background: #f0f4f8; cursor: pointer; }
button:hover { background: #d9e2ec; }
.status { font-size: 15px; font-weight: 700; padding: 1px 6px; border-radius: 4px; background: #e4e7eb; }
.status[data-status='active'] { background: #d3f9d8; color: #2b8a3e; }
.status[data-status='anonymous'] { background: #fff3bf; color: #a05e03; }
.status[data-status='failed'] { background: #ffe3e3; color: #c92a2a; }
.failure { border-left: 4px solid #d64545; background: #fff5f5; padding: 4px 10px; margin-top: 6px; overflow-wrap: anywhere; }
.failure.refresh { border-color: #de911d; background: #fffbea; }
.failure p { margin: 4px 0; }
.controls fieldset { border: 1px solid #e4e7eb; border-radius: 6px; margin: 0 0 8px; padding: 4px 10px 6px; }
.controls legend { font-weight: 600; font-size: 12px; color: #486581; }
.controls label { display: block; }
.buttons { display: flex; flex-wrap: wrap; gap: 6px; }
.note { color: #627d98; font-size: 12px; margin: 6px 0 0; }
.bubble { align-self: flex-start; max-width: 100%; padding: 10px 16px; border-radius: 18px 18px 18px 4px; background: #9aa5b1; color: #fff; font-weight: 600; overflow-wrap: anywhere; box-shadow: 0 2px 6px rgba(16, 42, 67, 0.2); }
.bubble[data-state='inactive'] { background: #7b8794; }
.bubble[data-state='anonymous'] { background: #de911d; }
.bubble[data-state='secured'] { background: #2f9e44; }
.bubble[data-state='unavailable'] { background: #c92a2a; }
.timeline { margin: 0; padding: 0; list-style: none; font: 12px/1.5 ui-monospace, 'SFMono-Regular', Menlo, monospace; max-height: 420px; overflow: auto; }
.timeline li { white-space: pre-wrap; overflow-wrap: anywhere; border-bottom: 1px solid #f0f4f8; padding: 1px 0; }
.timeline li.emitted { color: #2f80ed; }
.timeline li.actor { color: #627d98; }
/* The statechart, compact: top-level states on two columns, the secured region across both. */
.sc-chart { font-size: 12px; line-height: 1.35; }
.sc-state { margin: 4px 0; padding: 3px 7px; }
.sc-chart > .sc-children { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); grid-auto-flow: row dense; align-items: start; column-gap: 8px; padding-left: 0; }
.sc-chart > .sc-children > [data-state='activation.secured'] { grid-column: 1 / -1; }
.sc-invoke, .sc-actions, .sc-heading { font-size: 11px; }
/* The shop stays in view while the statechart and timeline scroll by. */
@media (min-width: 861px) and (min-height: 760px) { .columns > .column:first-child { position: sticky; top: 16px; } }
@media (max-width: 860px) { .columns { grid-template-columns: 1fr; } }
`;
