// docs/reliability.md names every reliability scenario test, and only those: a test added,
// renamed or removed without its row (or a row left for a test that is gone) fails here.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { docRows, testTitles } from './support/titles.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const THIS_FILE = 'test/reliability/doc-table.test.ts';

const scenarioFiles = readdirSync(`${root}/test/reliability`)
  .filter((name) => name.endsWith('.test.ts'))
  .map((name) => `test/reliability/${name}`)
  .filter((file) => file !== THIS_FILE)
  .sort();
const inTests = scenarioFiles.flatMap((file) => testTitles(`${root}/${file}`).map((title) => `${file}: ${title}`));
const inDoc = docRows(readFileSync(`${root}/docs/reliability.md`, 'utf8')).map(
  ({ file, title }) => `${file}: ${title}`,
);

describe('docs/reliability.md scenario table', () => {
  it('names every scenario test', () => {
    expect(
      inTests.filter((test) => !inDoc.includes(test)),
      'tests with no row in docs/reliability.md',
    ).toEqual([]);
  });

  it('names no test that does not exist', () => {
    expect(
      inDoc.filter((row) => !inTests.includes(row)),
      'rows in docs/reliability.md for no test',
    ).toEqual([]);
  });

  it('names each test once, and every scenario file has tests', () => {
    expect(inDoc.filter((row, index) => inDoc.indexOf(row) !== index)).toEqual([]);
    expect(scenarioFiles.length).toBeGreaterThanOrEqual(7);
    for (const file of scenarioFiles)
      expect(
        inTests.some((test) => test.startsWith(`${file}: `)),
        file,
      ).toBe(true);
  });
});
