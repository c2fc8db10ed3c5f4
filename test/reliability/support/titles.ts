// The `describe › it` titles of a test file, read with the TypeScript parser (no test is run),
// and the test cells of the scenario table in docs/reliability.md, so the two can be compared.
import { readFileSync } from 'node:fs';
import ts from 'typescript';

const SUITE = new Set(['describe']);
const TEST = new Set(['it', 'test']);

/** `describe › … › it` for every test in the file; a title that is not a plain string is an error. */
export function testTitles(path: string): string[] {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const titles: string[] = [];
  const visit = (node: ts.Node, suites: readonly string[]) => {
    const call = ts.isCallExpression(node) ? node : undefined;
    const name = call ? calleeName(call.expression) : undefined;
    if (call && name && (SUITE.has(name) || TEST.has(name))) {
      const [first] = call.arguments;
      if (!first || !ts.isStringLiteralLike(first)) {
        throw new Error(
          `${path}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}: give ${name} a plain string title, so docs/reliability.md can name it`,
        );
      }
      if (TEST.has(name)) titles.push([...suites, first.text].join(' › '));
      else call.arguments.slice(1).forEach((argument) => visit(argument, [...suites, first.text]));
      return;
    }
    ts.forEachChild(node, (child) => visit(child, suites));
  };
  visit(source, []);
  return titles;
}

/** `it`, `it.fails`, `describe`: the base name of a call to a test function, if it is one. */
function calleeName(expression: ts.Expression): string | undefined {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression) && ts.isIdentifier(expression.expression))
    return expression.expression.text;
  return undefined;
}

export interface DocRow {
  /** The test file of the section the row is in. */
  readonly file: string;
  readonly title: string;
}

/**
 * The table rows of the doc: each `## …` heading names its test file in backticks, each row's
 * last cell names one test as `describe › it` in backticks.
 */
export function docRows(markdown: string): DocRow[] {
  const rows: DocRow[] = [];
  let file: string | undefined;
  for (const line of markdown.split('\n')) {
    const heading = /^##\s.*`(test\/reliability\/[^`]+\.test\.ts)`/.exec(line);
    if (heading) file = heading[1];
    if (!line.startsWith('|') || /^\|\s*(-|Scenario\b)/.test(line)) continue;
    const cells = line.split('|').slice(1, -1);
    const title = /^\s*`([^`]+)`\s*$/.exec(cells.at(-1) ?? '')?.[1];
    if (file === undefined || title === undefined)
      throw new Error(
        `docs/reliability.md: a table row outside a test file's section, or without one \`describe › it\` title: ${line}`,
      );
    rows.push({ file, title });
  }
  return rows;
}
