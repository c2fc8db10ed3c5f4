// Whether git would pick a file up: a private key written inside a work tree that does not
// ignore it is one `git add .` away from being committed. Asks git itself (its ignore rules are
// many: nested .gitignore files, info/exclude, core.excludesFile); no git, no answer.
import { execFile } from 'node:child_process';
import { dirname } from 'node:path';

/** The work tree's root when `path` is inside one and git does not ignore it; otherwise undefined. */
export async function unignoredWorkTree(path: string): Promise<string | undefined> {
  const cwd = dirname(path);
  const root = await git(['rev-parse', '--show-toplevel'], cwd);
  if (root.code !== 0) return undefined;
  // check-ignore: 0 ignored, 1 not ignored (a tracked file counts as not ignored: it is committed
  // already), 128 an error (then say nothing).
  const ignored = await git(['check-ignore', '-q', path], cwd);
  return ignored.code === 1 ? root.stdout.trim() : undefined;
}

function git(args: string[], cwd: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: 5_000 }, (error, stdout) => {
      if (error === null) return resolve({ code: 0, stdout });
      // Not installed (ENOENT), timed out or killed: no answer rather than a wrong one.
      resolve({ code: typeof error.code === 'number' ? error.code : 128, stdout });
    });
  });
}
