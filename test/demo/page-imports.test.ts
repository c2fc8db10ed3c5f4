// The demo page doubles as a usage example: outside the demo's own files it imports only the
// package's public entries (the source of each subpath export), never a module behind them.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const PAGE_DIR = resolve(root, 'src/demo/page');

/** src/index.ts, src/tag/index.ts, …: the declaration path of each export, back to its source. */
const ENTRY_SOURCES = Object.values(
  JSON.parse(readFileSync(`${root}package.json`, 'utf8')).exports as Record<string, string | { types?: string }>,
).flatMap((target) =>
  typeof target === 'object' && target.types
    ? [target.types.replace('./dist/types/', '').replace(/\.d\.ts$/, '.ts')]
    : [],
);

describe('the demo page', () => {
  it('imports the package only through its public entries', () => {
    const reached: string[] = [];
    for (const file of readdirSync(PAGE_DIR).filter((name) => name.endsWith('.ts'))) {
      const source = readFileSync(resolve(PAGE_DIR, file), 'utf8');
      for (const [, specifier] of source.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
        const target = relative(root, resolve(dirname(resolve(PAGE_DIR, file)), specifier!.replace(/\.js$/, '.ts')));
        if (target.startsWith('src/demo/')) continue;
        reached.push(target);
        expect(ENTRY_SOURCES, `${file} imports ${specifier}`).toContain(target);
      }
    }
    expect(reached).toContain('src/tag/index.ts');
    expect(reached).toContain('src/inspect/index.ts');
  });
});
