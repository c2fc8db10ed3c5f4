// The rule both bindings use to follow the site's session: it acts only on a difference, so a
// second effect run (StrictMode), a Fast Refresh or a watcher firing again never signs in twice,
// and `undefined` (session still loading) never signs anyone out.
import { describe, expect, it } from 'vitest';
import { followIdentity, type SiteIdentity } from '../../src/activation/follow-identity.js';
import { harness, type Harness } from './harness.js';

/** Follows each identity in turn, the controller settling after each, as effects run apart. */
async function follow(h: Harness, ...identities: SiteIdentity[]): Promise<void> {
  for (const identity of identities) {
    followIdentity(h.activation, identity);
    await h.advance(0);
  }
}

describe('followIdentity', () => {
  it('signs in once however often the same identity is followed (invariant 1: one activate per sign-in)', async () => {
    const h = harness();
    // StrictMode: the effect runs twice in a row, before anything settled.
    followIdentity(h.activation, 'user-1');
    await follow(h, 'user-1', 'user-1');
    expect(h.activation.getSnapshot()).toMatchObject({ status: 'active', identity: 'user-1' });
    expect(h.tag.activations).toHaveLength(1);
  });

  it('does not sign in again after a failure: leaving failed takes a new sign-in by the site (invariant 4)', async () => {
    const h = harness({ fetch: 'fail' });
    await follow(h, 'user-1');
    expect(h.activation.getSnapshot().status).toBe('failed');
    const fetches = h.fetches.length;
    await follow(h, 'user-1');
    expect(h.fetches).toHaveLength(fetches);
    expect(h.activation.getSnapshot().status).toBe('failed');
  });

  it('switches account for another identity and signs out for null, once', async () => {
    const h = harness();
    await follow(h, 'user-1', 'user-2');
    expect(h.activation.getSnapshot()).toMatchObject({ status: 'active', identity: 'user-2' });
    expect(h.tag.activations).toHaveLength(2);
    followIdentity(h.activation, null);
    await follow(h, null);
    expect(h.activation.getSnapshot()).toMatchObject({ status: 'inactive', signedIn: false });
    // One logout for the switch, one for the sign-out.
    expect(h.tag.logouts).toHaveLength(2);
  });

  it('changes nothing while the site does not know yet (undefined), nor for null when nobody is signed in', async () => {
    const h = harness();
    await follow(h, null, undefined);
    // The tag script loads from start(); nothing is asked of the tag.
    expect(h.tag.log).toEqual(['ready']);
    await follow(h, 'user-1', undefined);
    expect(h.activation.getSnapshot()).toMatchObject({ status: 'active', identity: 'user-1' });
  });
});
