// Runs every benchmark module in scripts/bench/ (each exports `async run()` returning
// { name, value, unit, anchor, anchorValue, ratio, goal }), one after another so they do not
// compete for the CPU, prints a table and writes bench-results.json.
import { readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const benchDir = `${root}scripts/bench`;

/** Whether `ratio` meets a goal written like ">= 0.90" or "<= 1.5". */
function meets(ratio, goal) {
  const match = /^\s*(>=|<=|>|<)\s*([\d.]+)\s*$/.exec(goal ?? '');
  if (!match || typeof ratio !== 'number') return undefined;
  const target = Number(match[2]);
  return { '>=': ratio >= target, '<=': ratio <= target, '>': ratio > target, '<': ratio < target }[match[1]];
}

const results = [];
const failures = [];
for (const file of readdirSync(benchDir).filter((name) => name.endsWith('.mjs')).sort()) {
  process.stderr.write(`running ${file}...\n`);
  try {
    const module = await import(pathToFileURL(`${benchDir}/${file}`).href);
    const result = await module.run();
    results.push({ file, ...result, met: meets(result.ratio, result.goal) });
  } catch (error) {
    // One broken benchmark must not hide the others' figures.
    failures.push({ file, error: error instanceof Error ? error.message : String(error) });
  }
}

console.table(
  results.map(({ name, value, unit, anchor, anchorValue, ratio, goal, met }) => ({
    name,
    value: `${value} ${unit}`,
    anchor: `${anchorValue} ${anchor}`,
    ratio,
    goal,
    met: met === undefined ? '?' : met ? 'yes' : 'NO',
  })),
);
for (const { name, details } of results) if (details) console.log(`${name}:`, details);
for (const { file, error } of failures) console.error(`${file} failed: ${error}`);
writeFileSync(`${root}bench-results.json`, `${JSON.stringify({ date: new Date().toISOString(), node: process.version, results, failures }, null, 2)}\n`);
console.log('wrote bench-results.json');
if (failures.length > 0) process.exitCode = 1;
