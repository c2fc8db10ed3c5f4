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
const CHECKED_DIRS = ['machines', 'src'];

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
  // A folder matching no file would otherwise read as "no cycle".
  if (Object.keys(tree).length === 0) throw new Error(`no .ts file under ${dirs.join(', ')} (from ${cwd})`);
  return parseCircular(tree).map((cycle) => cycle.map((file) => relative(cwd, file)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // Folders named by hand are read from where the command runs; the default ones from the root.
  const named = process.argv.slice(2);
  const dirs = named.length > 0 ? named : CHECKED_DIRS;
  const cycles = await findCycles(dirs, named.length > 0 ? process.cwd() : root);
  if (cycles.length === 0) {
    console.log(`No import cycle in ${dirs.join(', ')}.`);
  } else {
    console.error(`${cycles.length} import cycle(s):`);
    for (const cycle of cycles) console.error(`  ${[...cycle, cycle[0]].join(' → ')}`);
    process.exitCode = 1;
  }
}
