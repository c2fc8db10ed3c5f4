// The demo page's HTML: a small shop on the left (sign-in, chat bubble, status, controls), the
// live statechart and timeline on the right. Inline CSS, no external asset; the page bundle
// fills in the live parts. Every element tests click or read has a data-testid.
import { STATECHART_CSS } from '../inspect/statechart-html.js';
import { FAULT_CHOICES, FAULT_NAMES, type DemoFaults, type FaultName } from './faults.js';
import { DEMO_PATHS, PAGE_CONFIG_ID, type PageConfig } from './page-config.js';
import { DEMO_USERS, type DemoUser } from './users.js';

export function renderPage(config: PageConfig, user: DemoUser | undefined): string {
  const seconds = (ms: number) => `${ms / 1000} s`;
  const { tokenFetchMs, tagLoadMs } = config.timeouts;
  const faultLabels: { readonly [K in FaultName]: { readonly title: string; readonly choices: Record<DemoFaults[K], string> } } = {
    tokenEndpoint: {
      title: 'Token endpoint',
      choices: { ok: 'works', fail: 'fails (HTTP 503)', slow: `slow (answers after the ${seconds(tokenFetchMs)} timeout)` },
    },
    tagScript: {
      title: 'Tag script (reloads the page)',
      choices: { ok: 'loads', blocked: 'blocked (HTTP 403, like an ad blocker)', late: `late (after the ${seconds(tagLoadMs)} load timeout)` },
    },
    iadvizeServer: {
      title: 'iAdvize server',
      choices: { ok: 'works', error: 'server error', 'wrong-key': "wrong customer key (iAdvize no longer has the site's public key)" },
    },
  };

  const faultGroup = (name: FaultName) => {
    const labels = faultLabels[name];
    const options = FAULT_CHOICES[name]
      .map((choice) => {
        const checked = config.faults[name] === choice ? ' checked' : '';
        const label = (labels.choices as Record<string, string>)[choice] ?? choice;
        return `<label><input type="radio" name="${name}" value="${choice}" data-testid="fault-${kebab(name)}-${choice}"${checked}> ${escape(label)}</label>`;
      })
      .join('');
    return `<fieldset><legend>${escape(labels.title)}</legend>${options}</fieldset>`;
  };

  const policyOption = (value: PageConfig['policy'], label: string) =>
    `<label><input type="radio" name="policy" value="${value}" data-testid="policy-${value}"${config.policy === value ? ' checked' : ''}> ${label}</label>`;

  const inspectNote =
    config.inspect === 'stately'
      ? `<p class="note" data-testid="inspect-mode">Stately inspector: this needs the internet; redacted events go to stately.ai. <button type="button" data-testid="stately-open">Open the Stately inspector</button></p>`
      : `<p class="note" data-testid="inspect-mode">Offline inspector: nothing leaves this machine. Stately's live inspector needs the internet: <a href="?inspect=stately${config.policy === 'anonymous' ? '&amp;policy=anonymous' : ''}">open with ?inspect=stately</a>.</p>`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>iAdvize activation demo</title>
<link rel="icon" href="data:,">
<style>${STATECHART_CSS}${PAGE_CSS}</style>
</head>
<body>
<header class="top">
  <h1>iAdvize activation demo</h1>
  <p>A fake shop with a fake iAdvize tag and server, development keys made on this machine, no account needed. Nothing is loaded from outside localhost.</p>
</header>
<main class="columns">
  <div class="column">
    <section class="card">
      <h2>The shop</h2>
      <p class="identity" data-testid="identity">${user === undefined ? 'Not signed in' : `Signed in as ${escape(user.label)}`}</p>
      <form class="sign-in" data-testid="sign-in-form">
        ${DEMO_USERS.map((demoUser) => `<button type="submit" name="user" value="${escape(demoUser.key)}" data-testid="sign-in-${escape(demoUser.key)}">Sign in as ${escape(demoUser.label)}</button>`).join('\n        ')}
      </form>
      <button type="button" data-testid="sign-out">Sign out</button>
    </section>
    <div class="bubble" data-testid="chat-bubble" data-state="not-loaded" title="The fake iAdvize tag, as a visitor sees it">Chat: tag not loaded</div>
    <section class="card">
      <h2>Activation</h2>
      <p>Status: <code class="status" data-testid="activation-status"></code></p>
      <div class="failure" data-testid="failure" hidden>
        <p><strong>Failed:</strong> <code data-testid="failure-code"></code> <span class="muted" data-testid="failure-phase"></span></p>
        <p class="muted" data-testid="failure-reason"></p>
        <p data-testid="failure-advice"></p>
        <button type="button" data-testid="reset">Reset</button>
      </div>
      <div class="failure refresh" data-testid="refresh-failure" hidden>
        <p><strong>Token refresh failed:</strong> <code data-testid="refresh-failure-code"></code></p>
        <p data-testid="refresh-failure-advice"></p>
      </div>
    </section>
    <section class="card controls">
      <h2>Controls</h2>
      <fieldset><legend>When no token can be had (reloads the page)</legend>
        ${policyOption('stay-inactive', 'stay inactive (default, recommended)')}
        ${policyOption('anonymous', 'fall back to an anonymous chat')}
      </fieldset>
      ${FAULT_NAMES.map(faultGroup).join('\n      ')}
      <p class="buttons">
        <button type="button" data-testid="expire-session">Expire the iAdvize session now</button>
        <button type="button" data-testid="faults-reset">Clear all faults</button>
      </p>
      <p class="note">Timeouts are short for the demo: token fetch ${seconds(tokenFetchMs)} (library default 10 s), tag load ${seconds(tagLoadMs)} (default 15 s).</p>
      ${inspectNote}
    </section>
  </div>
  <div class="column">
    <section class="card">
      <h2>Statechart <span class="muted">(drawn from the machine definition; active states in blue)</span></h2>
      <div data-testid="statechart"></div>
    </section>
    <section class="card">
      <h2>Timeline <span class="muted">(offline inspector, tokens redacted)</span></h2>
      <ol class="timeline" data-testid="timeline"></ol>
    </section>
  </div>
</main>
<script type="application/json" id="${PAGE_CONFIG_ID}">${jsonForScript(config)}</script>
<script type="module" src="${DEMO_PATHS.pageScript}"></script>
</body>
</html>
`;
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** JSON inside <script>: `<` escaped so no value can close the element. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

const PAGE_CSS = `
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
