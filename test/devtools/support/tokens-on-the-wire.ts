// Tokens as the browser received them from the token endpoint, read off the wire, so a test
// can look for each one (and its long segments) where it must never appear. Shared by the demo
// and devtools browser tests.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** Starts recording the tokens `page` receives from `path`; the result reads them once the answers have arrived. */
export function recordTokens(page: Page, path = '/api/token'): () => Promise<string[]> {
  const reads: Array<Promise<string | undefined>> = [];
  page.on('response', (response) => {
    if (new URL(response.url()).pathname !== path || !response.ok()) return;
    reads.push(
      response.json().then(
        (body: { token?: string }) => body.token,
        () => undefined,
      ),
    );
  });
  return async () => (await Promise.all(reads)).filter((token): token is string => token !== undefined);
}

/** Neither a token nor any of its segments long enough to identify it is in `text`. */
export function expectNoTokenIn(text: string, tokens: readonly string[], where: string): void {
  for (const token of tokens) {
    for (const part of [token, ...token.split('.').filter((segment) => segment.length >= 16)]) {
      expect(text.includes(part), `a token (or a segment of one) in ${where}`).toBe(false);
    }
  }
}
