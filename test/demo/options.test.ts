// The demo's port: --port, then PORT, then 4173; anything but a port number is a usage error.
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEMO_PORT } from '../../src/demo/app.js';
import { DemoUsageError, resolvePort } from '../../src/demo/options.js';

describe('resolvePort', () => {
  it('takes --port over PORT over the default', () => {
    expect(resolvePort('5001', '5002')).toBe(5001);
    expect(resolvePort(undefined, '5002')).toBe(5002);
    expect(resolvePort(undefined, undefined)).toBe(DEFAULT_DEMO_PORT);
    expect(resolvePort(undefined, '')).toBe(4173);
    expect(resolvePort('0', undefined)).toBe(0);
  });

  it('refuses what is not a port, naming where it came from', () => {
    expect(() => resolvePort('http', undefined)).toThrow(
      new DemoUsageError('--port must be a port number from 0 to 65535 (got "http")'),
    );
    expect(() => resolvePort(undefined, '70000')).toThrow(
      /^PORT must be a port number from 0 to 65535 \(got "70000"\)$/,
    );
    expect(() => resolvePort('-1', undefined)).toThrow(DemoUsageError);
    expect(() => resolvePort('', undefined)).toThrow(DemoUsageError);
  });
});
