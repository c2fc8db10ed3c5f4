// Runs every benchmark module in scripts/bench/ (each exports `async run()` returning
// { name, value, unit, anchor, anchorValue, ratio, goal, met, details? }), one after another so
// they do not compete for the CPU, prints a table and writes bench-results.json.
// `node scripts/bench.mjs memory orchestration` runs only the modules whose file names match.
//
// The run re-executes itself once: under `taskset -c 0` when available, so every figure is
// per core (WebCrypto's thread pool shares the core instead of borrowing idle ones), and with
// --expose-gc for the memory benchmark.
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const benchDir = `${root}scripts/bench`;
const CHILD = 'IADVIZE_BENCH_CHILD';

if (process.env[CHILD] === undefined) {
  const onOneCore = availableParallelism() === 1;
  const canPin = !onOneCore && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  const node = [process.execPath, '--expose-gc', fileURLToPath(import.meta.url), ...process.argv.slice(2)];
  const command = canPin ? ['taskset', '-c', '0', ...node] : node;
  const child = spawnSync(command[0], command.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, [CHILD]: canPin ? 'taskset -c 0' : onOneCore ? 'one CPU available' : 'unpinned' },
  });
  process.exit(child.status ?? 1);
}

const cpus = availableParallelism();
const cpuSetup = cpus === 1 ? `one core (${process.env[CHILD]})` : `unpinned (${cpus} cores): taskset unavailable`;
const FIELDS = ['name', 'value', 'unit', 'anchor', 'anchorValue', 'ratio', 'goal', 'met'];

const only = process.argv.slice(2);
const files = readdirSync(benchDir)
  .filter((name) => name.endsWith('.mjs'))
  .filter((name) => only.length === 0 || only.some((part) => name.includes(part)))
  .sort();

const results = [];
const failures = [];
for (const file of files) {
  process.stderr.write(`running ${file}...\n`);
  try {
    const module = await import(pathToFileURL(`${benchDir}/${file}`).href);
    const result = await module.run();
    const missing = FIELDS.filter((field) => result?.[field] === undefined);
    if (missing.length > 0 || typeof result.met !== 'boolean')
      throw new Error(
        `run() must return ${FIELDS.join(', ')} (met a boolean); missing ${missing.join(', ') || 'a boolean met'}`,
      );
    results.push({ file, ...result });
  } catch (error) {
    // One broken benchmark must not hide the others' figures.
    failures.push({ file, error: error instanceof Error ? error.message : String(error) });
  }
}

console.log(`CPU: ${cpuSetup}`);
console.table(
  results.map(({ name, value, unit, anchor, anchorValue, ratio, goal, met }) => ({
    name,
    value: `${value} ${unit}`,
    anchor: `${anchorValue} ${anchor}`,
    ratio,
    goal,
    met: met ? 'yes' : 'NO',
  })),
);
for (const { name, details } of results) if (details) console.log(`${name}:`, details);
for (const { file, error } of failures) console.error(`${file} failed: ${error}`);
writeFileSync(
  `${root}bench-results.json`,
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpu: cpuSetup, results, failures }, null, 2)}\n`,
);
console.log('wrote bench-results.json');
if (failures.length > 0) process.exitCode = 1;
