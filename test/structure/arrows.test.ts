// Arrows run from the edge to the core: the leaves import nothing, the machine nothing of the
// adapters, the fake or the kit, the real adapter and the server nothing of the test doubles, and
// the demo nothing of the CLI. Read with dpdm, type-only imports included.
import { parseDependencyTree } from 'dpdm';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** File → the project files it imports (packages left out). */
let imports: Map<string, string[]>;

beforeAll(async () => {
  const tree = await parseDependencyTree(['machines/**/*.ts', 'src/**/*.ts'], {
    cwd: root,
    context: root,
    include: /\.(ts|tsx|mts)$/,
    exclude: /node_modules/,
    transform: false,
  });
  imports = new Map(
    Object.entries(tree).map(([file, dependencies]) => [
      relative(root, file),
      (dependencies ?? []).flatMap((dependency) =>
        dependency.id && !dependency.id.includes('node_modules') ? [relative(root, dependency.id)] : [],
      ),
    ]),
  );
});

/** Every import from a file under `from` into a file under one of `to`, as "a → b". */
function crossing(from: string, to: readonly string[]): string[] {
  return [...imports].flatMap(([file, targets]) =>
    file.startsWith(from)
      ? targets
          .filter((target) => to.some((prefix) => target.startsWith(prefix)))
          .map((target) => `${file} → ${target}`)
      : [],
  );
}

describe('import arrows', () => {
  it('the failure codes and the token errors are leaves: they import nothing', () => {
    expect(imports.get('machines/failures.ts')).toEqual([]);
    expect(imports.get('src/token/errors.ts')).toEqual([]);
    expect(imports.get('src/testing/error-codes.ts')).toEqual([]);
  });

  it('the browser errors import only the machine vocabulary', () => {
    expect(imports.get('src/errors.ts')).toEqual(['machines/activation.types.ts']);
  });

  it('the machine imports nothing from src/ but the tag port it drives', () => {
    expect(crossing('machines/', ['src/']).filter((arrow) => !arrow.endsWith('→ src/tag/port.ts'))).toEqual([]);
  });

  it('nothing shipped to a site imports the fake iAdvize or the testing kit', () => {
    const shipped = [
      'machines/',
      'src/index.ts',
      'src/errors.ts',
      'src/redact.ts',
      'src/failure-descriptions.ts',
      'src/activation/',
      'src/tag/',
      'src/token/',
      'src/server/',
      'src/inspect/',
      'src/devtools/',
      'src/react/',
      'src/vue/',
      'src/preload/',
    ];
    expect(shipped.flatMap((from) => crossing(from, ['src/fake/', 'src/testing/', 'src/demo/', 'src/cli/']))).toEqual(
      [],
    );
  });

  it('the fake iAdvize does not import the testing kit', () => {
    expect(crossing('src/fake/', ['src/testing/'])).toEqual([]);
  });

  it('the demo does not import the CLI (the CLI runs the demo; both use src/token/key-files.ts and src/exit-codes.ts)', () => {
    expect(crossing('src/demo/', ['src/cli/'])).toEqual([]);
    expect(imports.get('src/demo/dev-keys.ts')).toContain('src/token/key-files.ts');
    expect(imports.get('src/cli/commands/keys.ts')).toContain('src/token/key-files.ts');
  });
});
