// The demo page's styles: two columns (the shop, the devtools panel), cards, the chat bubble.
// Inlined by html.ts: no external asset. The panel brings its own styles in its shadow root.

export const PAGE_CSS = `
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', sans-serif; color: #1f2933; background: #f4f6f8; }
.top { padding: 14px 24px; background: #102a43; color: #f0f4f8; }
.top h1 { margin: 0 0 2px; font-size: 20px; }
.top p { margin: 0; color: #bcccdc; }
.columns { display: grid; grid-template-columns: minmax(320px, 420px) minmax(0, 1fr); gap: 16px; padding: 16px 24px; align-items: start; }
.column { display: flex; flex-direction: column; gap: 12px; min-width: 0; }
.card { min-width: 0; background: #fff; border: 1px solid #d9e2ec; border-radius: 10px; padding: 12px 16px; }
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
.controls fieldset { min-width: 0; border: 1px solid #e4e7eb; border-radius: 6px; margin: 0 0 8px; padding: 4px 10px 6px; }
.controls legend { font-weight: 600; font-size: 12px; color: #486581; }
.controls label { display: block; }
.buttons { display: flex; flex-wrap: wrap; gap: 6px; }
.note { color: #627d98; font-size: 12px; margin: 6px 0 0; }
.bubble { align-self: flex-start; max-width: 100%; padding: 10px 16px; border-radius: 18px 18px 18px 4px; background: #9aa5b1; color: #fff; font-weight: 600; overflow-wrap: anywhere; box-shadow: 0 2px 6px rgba(16, 42, 67, 0.2); }
.bubble[data-state='inactive'] { background: #7b8794; }
.bubble[data-state='anonymous'] { background: #de911d; }
.bubble[data-state='secured'] { background: #2f9e44; }
.bubble[data-state='unavailable'] { background: #c92a2a; }
/* Nothing is sticky: at 1366×768 the controls are taller than the window and must scroll into view. */
@media (max-width: 860px) { .columns { grid-template-columns: minmax(0, 1fr); } }
@media (max-width: 480px) { .top, .columns { padding-left: 10px; padding-right: 10px; } .card { padding: 10px; } }
`;
