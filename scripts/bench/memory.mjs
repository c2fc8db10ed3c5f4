// Heap growth over sign-in/sign-out cycles through one createActivation over the fake iAdvize:
// the heap after 10,000 cycles minus the heap after 100, each read after full garbage
// collections. A controller lives as long as the page, so anything it keeps per cycle adds up.
// Needs `node --expose-gc` (scripts/bench.mjs runs the benchmarks with it).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { createActivation } from '../../dist/index.js';
import { round } from './support/measure.mjs';
import { benchIssuer, fakeIAdvizeFor, tokenPool } from './support/setup.mjs';

const USER_ID = 'user-42';
const BASELINE_CYCLES = 100;
const TOTAL_CYCLES = 10_000;
const WARM_UP_CYCLES = 3_000;
const TOKEN_POOL = 16;
const MB = 1024 * 1024;

/**
 * Self sizes from a heap snapshot, split into V8's compiled code (which grows while the JIT
 * optimises hot paths) and everything else (objects, strings, closures: what a leak would be).
 */
function heapByKind() {
  const path = join(mkdtempSync(join(tmpdir(), 'bench-heap-')), 'heap.heapsnapshot');
  writeHeapSnapshot(path);
  const snapshot = JSON.parse(readFileSync(path, 'utf8'));
  rmSync(dirname(path), { recursive: true, force: true });
  const {
    node_fields: fields,
    node_types: [types],
  } = snapshot.snapshot.meta;
  const typeAt = fields.indexOf('type');
  const sizeAt = fields.indexOf('self_size');
  const bytes = { code: 0, objects: 0 };
  for (let i = 0; i < snapshot.nodes.length; i += fields.length) {
    bytes[types[snapshot.nodes[i + typeAt]] === 'code' ? 'code' : 'objects'] += snapshot.nodes[i + sizeAt];
  }
  return bytes;
}

/** The heap once garbage collection has nothing left to free. */
async function settledHeap() {
  for (let i = 0; i < 4; i++) {
    globalThis.gc();
    // Lets FinalizationRegistry callbacks and weak references clear between collections.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

export async function run() {
  if (typeof globalThis.gc !== 'function')
    throw new Error('memory.mjs needs node --expose-gc: run it through scripts/bench.mjs');
  // Valid for the whole run: tokens are issued once and reused, so issuance is not measured.
  const { keys, issuer } = await benchIssuer({ ttlSeconds: 3600 });
  const nextToken = await tokenPool(issuer, USER_ID, TOKEN_POOL);

  /** A controller over its own fake iAdvize, and a function running its cycles up to a total. */
  const system = async () => {
    const fake = await fakeIAdvizeFor(keys);
    const activation = createActivation({ tag: fake.tag, fetchToken: async () => nextToken() }).start();
    const until = (status) =>
      new Promise((resolve, reject) => {
        const check = (state) => {
          if (state.status !== status && state.status !== 'failed') return;
          unsubscribe();
          if (state.status === 'failed') reject(new Error(`cycle failed: ${state.failure.code}`));
          else resolve();
        };
        const unsubscribe = activation.subscribe(check);
        check(activation.getSnapshot());
      });
    let cycles = 0;
    const cyclesUpTo = async (total) => {
      for (; cycles < total; cycles++) {
        activation.signIn(USER_ID);
        await until('active');
        activation.signOut();
        await until('inactive');
        // The fake's call log is the test double's record of every call, not the library's state.
        fake.calls.clear();
      }
    };
    const dispose = () => {
      activation.stop();
      fake.dispose();
    };
    return { cyclesUpTo, dispose };
  };

  const start = performance.now();
  // V8 keeps compiling optimised code for thousands of cycles; that code is no growth of the
  // controller's, so a throwaway controller runs the same code paths first.
  const warmUp = await system();
  await warmUp.cyclesUpTo(WARM_UP_CYCLES);
  warmUp.dispose();

  const measured = await system();
  await measured.cyclesUpTo(BASELINE_CYCLES);
  const baseline = await settledHeap();
  const baselineKinds = heapByKind();
  await measured.cyclesUpTo(TOTAL_CYCLES);
  const after = await settledHeap();
  const afterKinds = heapByKind();
  const seconds = (performance.now() - start) / 1000;
  measured.dispose();

  const growth = after - baseline;
  return {
    name: 'heap growth over cycles',
    value: round(growth / MB, 3),
    unit: `MB (${TOTAL_CYCLES} − ${BASELINE_CYCLES} cycles)`,
    anchor: 'MB heap after the first 100 cycles',
    anchorValue: round(baseline / MB, 2),
    ratio: round(growth / baseline),
    goal: 'growth < 1 MB',
    met: growth < MB,
    details: {
      heapAfterBaselineMB: round(baseline / MB, 2),
      heapAfterAllMB: round(after / MB, 2),
      bytesPerCycle: Math.round(growth / (TOTAL_CYCLES - BASELINE_CYCLES)),
      warmUpCyclesOnAnotherController: WARM_UP_CYCLES,
      // From heap snapshots at the same two points: which part of the heap grew.
      compiledCodeGrowthMB: round((afterKinds.code - baselineKinds.code) / MB, 3),
      objectGrowthMB: round((afterKinds.objects - baselineKinds.objects) / MB, 3),
      seconds: round(seconds, 1),
    },
  };
}
