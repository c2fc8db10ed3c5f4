// The guides cannot drift from the code: every example file is quoted whole in
// docs/integration.md (and nothing else claims to be one), the defaults they state are the
// code's, every failure code is covered, and every local link resolves.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUTS, DEFAULT_TOKEN_TTL_MS, FAILURE_CODES } from '../../src/index.js';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_TTL_SECONDS, KEY_ENV_VARIABLES } from '../../src/server/index.js';
import { DEFAULT_LOAD_TIMEOUT_MS } from '../../src/tag/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const integration = read('docs/integration.md');
const security = read('docs/security.md');
const examples = readdirSync(join(root, 'docs/examples')).map((file) => `docs/examples/${file}`);

const MARKER = /<!-- example: (\S+) -->\n```(\w+)\n([\s\S]*?)```/g;
const quoted = [...integration.matchAll(MARKER)].map(([, path, language, body]) => ({
  path: path!,
  language: language!,
  body: body!,
}));

describe('examples quoted in docs/integration.md', () => {
  it.each(examples)('%s is quoted whole, exactly once', (path) => {
    const quotes = quoted.filter((quote) => quote.path === path);
    expect(quotes, `add "<!-- example: ${path} -->" followed by the file in a fenced block`).toHaveLength(1);
    expect(quotes[0]!.language).toBe(path.endsWith('.tsx') ? 'tsx' : 'ts');
    expect(quotes[0]!.body, `docs/integration.md quotes an old ${path}: paste the file again`).toBe(read(path));
  });

  it('quotes no file that is not an example', () => {
    expect(quoted.map((quote) => quote.path).filter((path) => !examples.includes(path))).toEqual([]);
  });
});

describe('defaults stated in the guides', () => {
  it('the timeouts table gives the code defaults', () => {
    for (const [name, ms] of Object.entries(DEFAULT_TIMEOUTS))
      expect(integration).toContain(`| \`timeouts.${name}\` | ${ms} ms |`);
    expect(integration).toContain(`| \`iAdvizeTag({ loadTimeoutMs })\` | ${DEFAULT_LOAD_TIMEOUT_MS} ms |`);
    expect(integration).toContain(`| \`tokenTtlMs\` | ${DEFAULT_TOKEN_TTL_MS} ms |`);
    expect(integration).toContain(`\`ttlSeconds\`, ${DEFAULT_TTL_SECONDS} s by default`);
  });

  it('the security guide gives the code defaults', () => {
    expect(security).toContain(`A token lives **${DEFAULT_TTL_SECONDS} s** by default`);
    expect(security).toContain(`**\`tokenTtlMs\`** (${DEFAULT_TOKEN_TTL_MS / 1000} s by default)`);
    expect(security).toContain(`\`maxBodyBytes\` (${DEFAULT_MAX_BODY_BYTES} by default)`);
  });

  it('both name the key variables the server reads', () => {
    for (const guide of [integration, security]) {
      expect(guide).toContain(`\`${KEY_ENV_VARIABLES.privateKey}\``);
      expect(guide).toContain(`\`${KEY_ENV_VARIABLES.iadvizePublicKey}\``);
    }
  });

  it('the failure table of the integration guide covers every code', () => {
    const table = integration.slice(integration.indexOf('## 8. Handling failures'));
    expect(FAILURE_CODES.filter((code) => !table.includes(`\`${code}\``))).toEqual([]);
  });
});

/** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens. */
const anchorsOf = (markdown: string) =>
  new Set(
    [...markdown.matchAll(/^#+ (.+)$/gm)].map(([, heading]) =>
      heading!
        .toLowerCase()
        .replace(/[^\w\s-]/g, '')
        .replace(/\s/g, '-'),
    ),
  );

describe.each(['docs/integration.md', 'docs/security.md'])('links in %s', (guide) => {
  it('point to files and headings that exist', () => {
    const broken = [...read(guide).matchAll(/\]\(([^)#\s]*)(?:#([^)\s]+))?\)/g)]
      .filter(([, target]) => !/^[a-z]+:/.test(target!))
      .filter(([, target, anchor]) => {
        const path = target === '' ? guide : join(dirname(guide), target!);
        if (!existsSync(join(root, path))) return true;
        return anchor !== undefined && path.endsWith('.md') && !anchorsOf(read(path)).has(anchor);
      })
      .map(([link]) => link);
    expect(broken).toEqual([]);
  });
});
