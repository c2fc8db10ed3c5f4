// Deterministic budgets for the preload's browser artefacts: the inline entry stays small enough
// to paste into every page's <head>, and neither it nor the subpath entry ships jose, a Node
// built-in or key text. Runs on the dist/ that globalSetup builds; sizes only, never timings.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bundleForBrowser, findPrivateKeyText, root } from '../../scripts/bundle-budget.mjs';

/** The inline entry measured 605 B raw (401 B gzipped) when this ceiling was set. */
const INLINE_CEILING_BYTES = 1024;

describe('the inline <head> entry (dist/preload-inline.js)', () => {
  const code = readFileSync(join(root, 'dist/preload-inline.js'), 'utf8');

  it(`stays under ${INLINE_CEILING_BYTES} bytes raw, as pasted into a page`, () => {
    expect(
      Buffer.byteLength(code),
      `${Buffer.byteLength(code)} B raw, ${gzipSync(code, { level: 9 }).length} B gzipped`,
    ).toBeLessThanOrEqual(INLINE_CEILING_BYTES);
  });

  it('is a classic script: no import, no export, nothing for a bundler to resolve', () => {
    expect(code).not.toMatch(/\bimport\b|\bexport\b/);
  });
});

describe.each(['dist/preload.js', 'dist/preload-inline.js'])('browser bundle of %s', (entry) => {
  it('has no jose, no Node built-in and no private-key text', async () => {
    const bundle = await bundleForBrowser({ entry });
    expect(bundle.inputs.filter((input) => /(^|\/)node_modules\/jose\//.test(input))).toEqual([]);
    expect(bundle.nodeImports).toEqual([]);
    expect(findPrivateKeyText(bundle.code)).toEqual([]);
  });
});
