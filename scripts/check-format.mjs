// Fails when a file is not as Prettier writes it (config: .prettierrc.json; left alone:
// .prettierignore). `npm run format` rewrites them. `npm test` runs it (and so CI, from .ci/run);
// test/structure/format.test.ts proves it fails on a badly formatted file.
// Usage: node scripts/check-format.mjs [path...]   (default: the whole tree)
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const prettier = join(root, 'node_modules', 'prettier', 'bin', 'prettier.cjs');

/**
 * Runs `prettier --check` on `paths` with the project's config. `ignorePath: false` checks the
 * paths even where .prettierignore leaves them out (the test's fixtures).
 */
export function checkFormat({ paths = ['.'], cwd = root, ignorePath = join(root, '.prettierignore') } = {}) {
  const args = [prettier, '--check', '--config', join(root, '.prettierrc.json'), '--no-error-on-unmatched-pattern'];
  // Prettier reads .gitignore and .prettierignore by default; an ignore file that does not exist turns both off.
  args.push('--ignore-path', ignorePath === false ? join(root, 'no-ignore-file') : ignorePath);
  // Colour off: CI sets FORCE_COLOR, and a coloured `[warn]` tag would hide the file names.
  const env = { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' };
  const run = spawnSync(process.execPath, [...args, '--no-color', ...paths], { cwd, encoding: 'utf8', env });
  const output = `${run.stdout}${run.stderr}`;
  const unformatted = [...output.matchAll(/^\[warn\] (?!Code style issues)(.+)$/gm)].map((match) => match[1]);
  return { ok: run.status === 0, unformatted, output };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const paths = process.argv.slice(2);
  const { ok, output } = checkFormat(paths.length > 0 ? { paths } : {});
  process.stdout.write(output);
  if (!ok) {
    console.error('Not formatted: run `npm run format` (prettier --write .) and commit the result.');
    process.exitCode = 1;
  }
}
