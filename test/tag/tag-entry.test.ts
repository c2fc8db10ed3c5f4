// The /tag entry exports exactly the names docs/entries.md lists: what a site uses of the tag,
// nothing a test double or the adapter's plumbing needs. Read with the TypeScript checker, so
// type exports count too.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as tagEntry from '../../src/tag/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The names in the table under "## `iadvize-activation/tag`", with their kind. */
function documentedNames(): Map<string, string> {
  const page = readFileSync(`${root}docs/entries.md`, 'utf8');
  const section = page.split(/^## /m).find((part) => part.startsWith('`iadvize-activation/tag`'));
  if (section === undefined) throw new Error('docs/entries.md has no section for iadvize-activation/tag');
  return new Map([...section.matchAll(/^\| `(\w+)` \| (\w+) \|/gm)].map(([, name, kind]) => [name!, kind!]));
}

/** Every name the entry exports, values and types, as the compiler sees them. */
function exportedNames(): string[] {
  const file = `${root}src/tag/index.ts`;
  const program = ts.createProgram([file], {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const symbol = checker.getSymbolAtLocation(program.getSourceFile(file)!);
  return checker.getExportsOfModule(symbol!).map((exported) => exported.getName());
}

describe('the /tag entry', () => {
  it('exports exactly the names docs/entries.md documents', () => {
    expect(exportedNames().sort()).toEqual([...documentedNames().keys()].sort());
  });

  it('the values among them are the ones documented as functions and constants', () => {
    const values = [...documentedNames()].filter(([, kind]) => kind !== 'type').map(([name]) => name);
    expect(Object.keys(tagEntry).sort()).toEqual(values.sort());
  });

  it('ships nothing of the fake iAdvize nor the adapter plumbing', () => {
    for (const name of [
      'FAKE_REJECTION_REASONS',
      'FAKE_TAG_REASONS',
      'FAKE_DETAIL_REASONS',
      'securedOption',
      'outcomeFromVendorResult',
    ]) {
      expect(tagEntry).not.toHaveProperty(name);
    }
  });
});
