// The demo page's HTML: a small shop on the left (sign-in, chat bubble, status, controls), the
// devtools panel (statechart graph, timeline) on the right. Inline CSS, no external asset; the
// page bundle fills in the live parts. Every element tests click or read has a data-testid.
import { PAGE_CSS } from './page-css.js';
import { FAULT_CHOICES, FAULT_NAMES, type DemoFaults, type FaultName } from './faults.js';
import { DEMO_PATHS, PAGE_CONFIG_ID, type PageConfig } from './page-config.js';
import { DEMO_USERS, type DemoUser } from './users.js';

export function renderPage(config: PageConfig, user: DemoUser | undefined): string {
  const seconds = (ms: number) => `${ms / 1000} s`;
  const { tokenFetchMs, tagLoadMs } = config.timeouts;
  const faultLabels: {
    readonly [K in FaultName]: { readonly title: string; readonly choices: Record<DemoFaults[K], string> };
  } = {
    tokenEndpoint: {
      title: 'Token endpoint',
      choices: {
        ok: 'works',
        fail: 'fails (HTTP 503)',
        slow: `slow (answers after the ${seconds(tokenFetchMs)} timeout)`,
      },
    },
    tagScript: {
      title: 'Tag script (reloads the page)',
      choices: {
        ok: 'loads',
        blocked: 'blocked (HTTP 403, like an ad blocker)',
        late: `late (after the ${seconds(tagLoadMs)} load timeout)`,
      },
    },
    iadvizeServer: {
      title: 'iAdvize server',
      choices: {
        ok: 'works',
        error: 'server error',
        'wrong-key': "key rotated, iAdvize not told (it still holds the site's old public key)",
      },
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
  const signedOutOption = (value: PageConfig['whenSignedOut'], label: string) =>
    `<label><input type="radio" name="signedOut" value="${value}" data-testid="signed-out-${value}"${config.whenSignedOut === value ? ' checked' : ''}> ${label}</label>`;

  // The Stately link keeps the page's other choices.
  const statelyQuery = new URLSearchParams({
    inspect: 'stately',
    ...(config.policy === 'anonymous' ? { policy: 'anonymous' } : {}),
    ...(config.whenSignedOut === 'anonymous' ? { signedOut: 'anonymous' } : {}),
  });
  const inspectNote =
    config.inspect === 'stately'
      ? `<p class="note" data-testid="inspect-mode">Stately inspector: this needs the internet; redacted events go to stately.ai. <button type="button" data-testid="stately-open">Open the Stately inspector</button></p>`
      : `<p class="note" data-testid="inspect-mode">Offline inspector: nothing leaves this machine. Stately's live inspector needs the internet: <a href="?${escape(statelyQuery.toString())}">open with ?inspect=stately</a>.</p>`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>iAdvize activation demo</title>
<link rel="icon" href="data:,">
<style>${PAGE_CSS}</style>
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
      <fieldset><legend>When no token can be had (onTokenFailure; reloads the page)</legend>
        ${policyOption('stay-inactive', 'stay inactive (default, recommended)')}
        ${policyOption('anonymous', 'fall back to an anonymous chat')}
      </fieldset>
      <fieldset><legend>While nobody is signed in (whenSignedOut; reloads the page)</legend>
        ${signedOutOption('inactive', 'leave the tag untouched (default)')}
        ${signedOutOption('anonymous', 'open an anonymous chat')}
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
    <section class="card devtools">
      <h2>Devtools <span class="muted">(<code>iadvize-activation/devtools</code>, the panel any site can load: statechart from the machine definition, redacted timeline)</span></h2>
      <div data-testid="devtools"></div>
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
