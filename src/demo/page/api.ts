// The page's calls to the demo server's own API (sign-in, sign-out, faults). Same origin; the
// session cookie rides along. None of these answers holds a token.
import type { DemoFaults } from '../faults.js';
import { DEMO_PATHS } from '../page-config.js';

async function post<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (!response.ok) throw new Error(`${path} answered HTTP ${response.status}`);
  return (await response.json()) as T;
}

export const demoApi = {
  signIn: (userKey: string) => post<{ user: { key: string; id: string } }>(DEMO_PATHS.session, { user: userKey }),
  signOut: () => post<{ user: null }>(DEMO_PATHS.signOut, {}),
  setFaults: (patch: Partial<DemoFaults>) => post<DemoFaults>(DEMO_PATHS.faults, patch),
};
