// docs/testing.md cannot drift from the code: it quotes the example test whole, and lists the
// invariants as the checker words them.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { INVARIANTS } from '../../src/testing/trace/invariants.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const guide = read('docs/testing.md');

it('quotes test/kit/testing-kit.test.ts whole', () => {
  const quote = /<!-- example: test\/kit\/testing-kit\.test\.ts -->\n```ts\n([\s\S]*?)```/.exec(guide);
  expect(
    quote,
    'add "<!-- example: test/kit/testing-kit.test.ts -->" followed by the file in a ts block',
  ).not.toBeNull();
  expect(quote![1], 'docs/testing.md quotes an old example: paste the file again').toBe(
    read('test/kit/testing-kit.test.ts'),
  );
});

it('lists the nine invariants as the checker words them', () => {
  for (const [number, text] of Object.entries(INVARIANTS)) expect(guide).toContain(`| ${number} | ${text} |`);
});
