// The format check (scripts/check-format.mjs, run by `npm test`) fails on a file Prettier
// would rewrite and passes on one it would not. Fixtures are in .prettierignore, so the tree
// check never sees the bad one.
import { describe, expect, it } from 'vitest';
import { checkFormat } from '../../scripts/check-format.mjs';

const FIXTURES = 'test/structure/fixtures/format';

describe('format check', () => {
  it('fails on a badly formatted file and names it', () => {
    const result = checkFormat({ paths: [`${FIXTURES}/unformatted.ts`], ignorePath: false });
    expect(result.ok).toBe(false);
    expect(result.unformatted).toEqual([`${FIXTURES}/unformatted.ts`]);
  });

  it('passes on a file as Prettier writes it with the project config', () => {
    const result = checkFormat({ paths: [`${FIXTURES}/formatted.ts`], ignorePath: false });
    expect(result).toMatchObject({ ok: true, unformatted: [] });
  });

  it('leaves out what .prettierignore lists (the fixtures, generated docs)', () => {
    expect(checkFormat({ paths: [FIXTURES, 'docs/statechart.md'] })).toMatchObject({ ok: true, unformatted: [] });
    // The same paths with the ignore file off: the check reached the bad fixture, the ignore file left it out.
    expect(checkFormat({ paths: [FIXTURES], ignorePath: false }).unformatted).toEqual([`${FIXTURES}/unformatted.ts`]);
  });
});
