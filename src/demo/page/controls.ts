// The shop's controls: sign in and out (the server's session first, then the controller), the
// policy (a reload with ?policy= or ?signedOut=), the fault switches (server-side), and the tag's session expiry.
import type { Activation } from '../../index.js';
import type { FakeTag } from '../../testing/index.js';
import { FAULT_NAMES, NO_FAULTS, type DemoFaults } from '../faults.js';
import { findUser } from '../users.js';
import { demoApi } from './api.js';
import { byTestId } from './dom.js';

export function wireControls(
  activation: Activation,
  loadedWith: DemoFaults,
  whenTagLoads: (onTag: (tag: FakeTag) => void) => void,
): void {
  const identity = byTestId('identity');

  byTestId<HTMLFormElement>('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const key = (event.submitter as HTMLButtonElement | null)?.value;
    if (key === undefined) return;
    void act(async () => {
      const { user } = await demoApi.signIn(key);
      identity.textContent = `Signed in as ${findUser(user.key)?.label ?? user.key}`;
      activation.signIn(user.id);
    });
  });

  byTestId('sign-out').addEventListener('click', () =>
    act(async () => {
      await demoApi.signOut();
      identity.textContent = 'Not signed in';
      activation.signOut();
    }),
  );

  byTestId('reset').addEventListener('click', () => activation.reset());

  // The policy is the controller's option: a new choice is a new controller, hence a reload.
  for (const name of ['policy', 'signedOut']) {
    for (const input of radios(name)) {
      input.addEventListener('change', () => {
        const url = new URL(location.href);
        url.searchParams.set(name, input.value);
        location.assign(url);
      });
    }
  }

  for (const name of FAULT_NAMES) {
    for (const input of radios(name)) {
      input.addEventListener('change', () =>
        act(() => applyFaults(loadedWith, { [name]: input.value } as Partial<DemoFaults>)),
      );
    }
  }
  byTestId('faults-reset').addEventListener('click', () => act(() => applyFaults(loadedWith, NO_FAULTS)));

  const expire = byTestId<HTMLButtonElement>('expire-session');
  expire.disabled = true;
  whenTagLoads((tag) => {
    expire.disabled = false;
    expire.addEventListener('click', () => void tag.expireSession());
  });
}

/** The script is fetched once per page: a changed tag-script fault applies from a reload on. */
async function applyFaults(loadedWith: DemoFaults, patch: Partial<DemoFaults>): Promise<void> {
  const faults = await demoApi.setFaults(patch);
  for (const name of FAULT_NAMES) {
    for (const input of radios(name)) input.checked = input.value === faults[name];
  }
  if (faults.tagScript !== loadedWith.tagScript) location.reload();
}

function radios(name: string): HTMLInputElement[] {
  return [...document.querySelectorAll<HTMLInputElement>(`input[type="radio"][name="${name}"]`)];
}

/** Failures of the demo's own API are the demo's problem, not the activation's: said in the console. */
async function act(step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (error) {
    console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
  }
}
