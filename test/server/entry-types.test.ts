// iadvize-activation/server must type-check without Node's types (edge runtimes, a Fetch-only
// project): nothing reachable from its entry may import node:* at the type level or name
// Buffer or NodeJS. The node:http listener lives in iadvize-activation/server/node instead.
// Read from the sources: what a static import reaches is what its declaration files reach.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Every source file the entry reaches through static imports and re-exports. */
function reachedFrom(entry: string): Map<string, string> {
  const reached = new Map<string, string>();
  const pending = [join(root, entry)];
  for (let file = pending.pop(); file; file = pending.pop()) {
    if (reached.has(file)) continue;
    const text = readFileSync(file, 'utf8');
    reached.set(file, text);
    for (const [, target] of text.matchAll(/^(?:import|export)\b[^;]*?\bfrom '(\.[^']+)'/gm)) {
      const source = join(dirname(file), target!).replace(/\.js$/, '.ts');
      if (existsSync(source)) pending.push(source);
    }
  }
  return reached;
}

describe('the server entries', () => {
  it('iadvize-activation/server reaches no Node type: no static node:* import, no Buffer, no NodeJS namespace', () => {
    const reached = reachedFrom('src/server/index.ts');
    expect(reached.size).toBeGreaterThan(5);
    const offending = [...reached]
      .filter(
        ([, text]) =>
          /^(?:import|export)\b[^;]*?\bfrom 'node:/m.test(text) ||
          /\bBuffer\b|\bNodeJS\./.test(text.replace(/^\s*(\/\/|\*).*$/gm, '')),
      )
      .map(([file]) => relative(root, file));
    expect(offending).toEqual([]);
  });

  it('iadvize-activation/server/node is where the node:http listener is', () => {
    const reached = [...reachedFrom('src/server/node.ts').keys()].map((file) => relative(root, file));
    expect(reached).toContain('src/server/node-handler.ts');
    expect([...reachedFrom('src/server/index.ts').keys()].map((file) => relative(root, file))).not.toContain(
      'src/server/node-handler.ts',
    );
  });
});
