// The setup every loopback reliability file shares: the suite guard, keys and issuer made once
// per file, and the site on 127.0.0.1. Vitest gives each test file its own module instance, so
// these live bindings belong to the importing file.
import { afterAll, beforeAll } from 'vitest';
import { startLoopbackSite, type LoopbackSite } from './loopback.js';
import { createParts, type Parts } from './stack.js';
import { guardSuite } from './suite.js';

export let parts: Parts;
export let site: LoopbackSite;

/** Call once at the top of a file; returns the file's guard. */
export function useLoopbackSite(): ReturnType<typeof guardSuite> {
  const guard = guardSuite();
  beforeAll(async () => {
    parts = await createParts();
    site = await startLoopbackSite(parts.issuer);
  });
  afterAll(() => site.close());
  return guard;
}
