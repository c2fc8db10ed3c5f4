// What every reliability file runs under (each file is its own worker): no unhandled promise
// rejection or uncaught exception, and nothing secret on the console, for the whole file.
import { format } from 'node:util';
import { afterAll, afterEach, beforeAll, expect, vi, type MockInstance } from 'vitest';
import { createSecrets, type Secrets } from './leaks.js';

/** This file's secrets: the parts register every token and key they create. */
export const secrets: Secrets = createSecrets();

const cleanups: Array<() => unknown> = [];
/** Runs after the current test, last registered first (a controller stops before its fake goes). */
export function onCleanup(cleanup: () => unknown): void {
  cleanups.push(cleanup);
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

export interface SuiteGuard {
  /** What was written to the console so far in this file. */
  readonly consoleOutput: readonly string[];
}

export function guardSuite(): SuiteGuard {
  const consoleOutput: string[] = [];
  const unhandled: unknown[] = [];
  const spies: MockInstance[] = [];
  const collect = (problem: unknown) => void unhandled.push(problem);

  beforeAll(() => {
    process.on('unhandledRejection', collect);
    process.on('uncaughtException', collect);
    for (const method of CONSOLE_METHODS) {
      spies.push(
        vi
          .spyOn(console, method)
          .mockImplementation((...args: unknown[]) => void consoleOutput.push(`${method}: ${format(...args)}`)),
      );
    }
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    vi.useRealTimers();
  });

  afterAll(async () => {
    // A rejection is reported unhandled once the microtask queue drains: let it.
    await new Promise((resolve) => setTimeout(resolve, 20));
    process.off('unhandledRejection', collect);
    process.off('uncaughtException', collect);
    for (const spy of spies) spy.mockRestore();
    expect(unhandled, 'unhandled rejections or uncaught exceptions in this file').toEqual([]);
    expect(secrets.findIn(consoleOutput.join('\n')), 'secrets written to the console').toEqual([]);
  });

  return { consoleOutput };
}
