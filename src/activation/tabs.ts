// Tabs of one site agree on who is signed in. The site's signIn / signOut in one tab is told to
// the others (tab-channel.ts); a tab holding a visitor then signs out on the site's usual path
// when another tab signed out, or signed in someone who is not known to be that visitor (an
// account switch). It never signs anyone in: a tab does not fetch a token because another did.
//
// Rules (docs/integration.md, "Many tabs"):
// - the later site action wins, by (time, tab id): a message older than the last action this tab
//   knows of (its own or another tab's) changes nothing, so racing sign-ins converge on the last;
// - a sign-out received is carried out, never passed on: no echo between tabs;
// - a sign-in without an identity is not told (it cannot be compared, and every new tab would
//   end the others' sessions); its time still counts for the rule above;
// - messages carry no token and no identity: a digest of it, enough to compare.

import { openTabChannel, type TabEnvironment } from './tab-channel.js';

/** Why another tab signed this one out: a sign-out there, or another visitor signed in there. */
export type TabSignOutCause = 'sign-out' | 'account-switch';

/** What tabs tell each other. */
export interface TabMessage {
  readonly kind: 'signed-in' | 'signed-out';
  /** The sending controller: a random id, new on each page load. */
  readonly tab: string;
  /** When the site acted there, ms since the epoch. */
  readonly at: number;
  /** `signed-in` only: a digest of the identity, to compare; it keeps the raw id off the wire, not a secret (a guessed id hashes the same). */
  readonly who?: string;
}

export interface TabsOptions {
  readonly env: TabEnvironment;
  /** The tag's configuration (sid and script): two sites or accounts on one origin do not cross. */
  readonly key: string | undefined;
  readonly now: () => number;
  /** Who this tab holds, or is about to sign in (an account switch under way); undefined when nobody. */
  holder(): { readonly identity: string | undefined } | undefined;
  /** Signs this tab out on the site's path, told why. */
  signOut(because: TabSignOutCause): void;
}

export interface Tabs {
  /** The site signed a visitor in here. */
  signedIn(identity: string | undefined): void;
  /** The site signed the visitor out here. */
  signedOut(): void;
  close(): void;
}

export function joinTabs(options: TabsOptions): Tabs {
  const name = `iadvize-activation ${options.key ?? ''}`;
  const tab = Math.random().toString(36).slice(2);
  /** The latest site action this tab knows of: (time, tab). */
  let last: readonly [number, string] = [0, ''];
  /** Set while a received sign-out is carried out: a signOut() from the site's event handler is not passed on. */
  let applying = false;

  const stamp = () => (last = [options.now(), tab])[0];
  const channel = openTabChannel(options.env, name, (message) => {
    if (!isTabMessage(message)) return;
    const { kind, tab: from, at, who } = message;
    if (at < last[0] || (at === last[0] && from <= last[1])) return;
    last = [at, from];
    const holder = options.holder();
    if (holder === undefined) return;
    if (kind === 'signed-in' && holder.identity !== undefined && digest(name, holder.identity) === who) return;
    applying = true;
    try {
      options.signOut(kind === 'signed-out' ? 'sign-out' : 'account-switch');
    } finally {
      applying = false;
    }
  });

  return {
    signedIn(identity) {
      const at = stamp();
      if (identity !== undefined)
        channel.post({ kind: 'signed-in', tab, at, who: digest(name, identity) } satisfies TabMessage);
    },
    signedOut() {
      if (!applying) channel.post({ kind: 'signed-out', tab, at: stamp() } satisfies TabMessage);
    },
    close: () => channel.close(),
  };
}

function isTabMessage(value: unknown): value is TabMessage {
  const { kind, tab, at, who } = (value ?? {}) as Partial<Record<keyof TabMessage, unknown>>;
  return (
    typeof tab === 'string' &&
    typeof at === 'number' &&
    (kind === 'signed-out' || (kind === 'signed-in' && typeof who === 'string'))
  );
}

/**
 * A 64-bit digest of the identity (two multiplicative hashes), salted with the channel's name.
 * For comparison only, not a secret: same-origin code can read the site's session anyway. It
 * keeps the raw identity (an e-mail, perhaps) off the channel and out of localStorage, which the
 * fallback writes to disk.
 */
export function digest(salt: string, identity: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x41c6ce57;
  for (const char of `${salt}\n${identity}`) {
    const code = char.codePointAt(0)!;
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  return `${(h1 >>> 0).toString(36)}.${(h2 >>> 0).toString(36)}`;
}
