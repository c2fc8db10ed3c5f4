// The committed generated pages must equal what the generator makes from the code now.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { activationMachine } from '../../machines/activation.js';
import { FAILURE_CODES } from '../../machines/failures.js';
import { toMermaid } from '../../src/inspect/index.js';
import { REASON_PATTERNS } from '../../src/tag/contract.js';
// @ts-expect-error -- plain ESM script without declarations
import { renderDocs } from '../../scripts/docs.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pages = (await renderDocs()) as Record<string, string>;

describe('generated docs', () => {
  it.each(Object.keys(pages))('%s is up to date', (path) => {
    const committed = existsSync(`${root}/${path}`) ? readFileSync(`${root}/${path}`, 'utf8') : '(missing)';
    expect(committed, `${path} is out of date with the code: run \`npm run docs\` and commit the result`).toBe(
      pages[path],
    );
  });

  it('the statechart page holds the diagram generated from the machine', () => {
    expect(pages['docs/statechart.md']).toContain(`\`\`\`mermaid\n${toMermaid(activationMachine)}\`\`\``);
  });

  it('the failures page has a section for every code and quotes every vendor reason', () => {
    const page = pages['docs/failures.md']!;
    for (const code of FAILURE_CODES) expect(page).toContain(`\n## ${code}\n`);
    for (const { vendorTexts } of REASON_PATTERNS)
      for (const text of vendorTexts) expect(page).toContain(`\`${text}\``);
  });
});
