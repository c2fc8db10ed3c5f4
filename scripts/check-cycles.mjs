// Fails when an import cycle runs through machines/ or src/: arrows go from the edge to the core
// (adapters → controller → machine → failure codes), never back. Type-only imports count too:
// a type cycle is the same tangle of roles. dpdm reads the imports (a maintained tool, with the
// TypeScript parser); this script only picks the folders and words the answer.
// Run by `npm test` (test/structure/cycles.test.ts) and by hand: node scripts/check-cycles.mjs [dir...]
import { parseCircular, parseDependencyTree } from 'dpdm';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The folders checked by default: the library's own code. */
export const CHECKED_DIRS = ['machines', 'src'];

/** The import cycles among the .ts files under `dirs` (relative to `cwd`), each as a list of files. */
export async function findCycles(dirs = CHECKED_DIRS, cwd = root) {
  const entries = dirs.map((dir) => `${dir}/**/*.{ts,tsx,mts}`);
  const tree = await parseDependencyTree(entries, {
    cwd,
    context: cwd,
    // Only the project's files are followed: packages are not ours to untangle.
    include: /\.(ts|tsx|mts)$/,
    exclude: /node_modules/,
    transform: false,
    skipDynamicImports: false,
  });
  return parseCircular(tree).map((cycle) => cycle.map((file) => relative(cwd, file)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dirs = process.argv.slice(2);
  const cycles = await findCycles(dirs.length > 0 ? dirs : CHECKED_DIRS, process.cwd());
  if (cycles.length === 0) {
    console.log(`No import cycle in ${(dirs.length > 0 ? dirs : CHECKED_DIRS).join(', ')}.`);
  } else {
    console.error(`${cycles.length} import cycle(s):`);
    for (const cycle of cycles) console.error(`  ${[...cycle, cycle[0]].join(' → ')}`);
    process.exitCode = 1;
  }
}
