// The Stately helper is tested offline: @statelyai/inspect is replaced by a double, so no
// window opens and no socket connects; the bundles are checked for how they reach it.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectStatelyInspector } from '../../src/inspect/index.js';
import { fakeJwe } from '../support/scripted-tag.js';

const stately = vi.hoisted(() => {
  const made: Array<{
    kind: 'browser' | 'websocket';
    options: Record<string, unknown>;
    started: number;
    stopped: number;
  }> = [];
  const inspectorFor = (kind: 'browser' | 'websocket') => (options: Record<string, unknown>) => {
    const record = { kind, options, started: 0, stopped: 0 };
    made.push(record);
    return {
      inspect: { next: () => undefined },
      start: () => void record.started++,
      stop: () => void record.stopped++,
    };
  };
  return {
    made,
    createBrowserInspector: vi.fn(inspectorFor('browser')),
    createWebSocketInspector: vi.fn(inspectorFor('websocket')),
  };
});
vi.mock('@statelyai/inspect', () => ({
  createBrowserInspector: stately.createBrowserInspector,
  createWebSocketInspector: stately.createWebSocketInspector,
}));

const root = fileURLToPath(new URL('../..', import.meta.url));

beforeEach(() => {
  stately.made.length = 0;
  vi.clearAllMocks();
});
afterEach(() => vi.unstubAllGlobals());

describe('connectStatelyInspector', () => {
  it('in Node, sends to a WebSocket inspector, redacting whole events (snapshot outputs included)', async () => {
    const connection = await connectStatelyInspector({
      transport: 'websocket',
      url: 'ws://localhost:8080',
      autoStart: false,
    });
    expect(stately.made).toMatchObject([
      { kind: 'websocket', options: { url: 'ws://localhost:8080', autoStart: false } },
    ]);
    connection.start();
    connection.stop();
    expect(stately.made[0]).toMatchObject({ started: 1, stopped: 1 });
    expect(typeof connection.inspect.next).toBe('function');

    const serialize = stately.made[0]!.options.serialize as (event: unknown) => unknown;
    const token = fakeJwe('secret');
    const plainToken = 'header.encKey.iv.cipherText.tag';
    const event = {
      type: '@xstate.actor',
      snapshot: {
        status: 'done',
        output: plainToken,
        context: { token, note: `key -----BEGIN PRIVATE KEY-----\nMIIEv\n-----END PRIVATE KEY-----` },
      },
      event: { type: 'xstate.done.actor.0.activation.fetchingToken', output: token },
    };
    const sent = JSON.stringify(serialize(event));
    expect(sent).not.toContain(token);
    expect(sent).not.toContain(plainToken);
    expect(sent).not.toContain('MIIEv');
    expect(sent).toContain('@xstate.actor');
  });

  it('refuses the browser transport where there is no window, before loading anything', async () => {
    await expect(connectStatelyInspector()).rejects.toThrow(
      /no browser window here; in Node pass \{ transport: 'websocket', url \}/,
    );
    expect(stately.createBrowserInspector).not.toHaveBeenCalled();
  });

  it('in a browser, opens the inspector with the given url and iframe', async () => {
    vi.stubGlobal('window', {});
    const iframe = {} as HTMLIFrameElement;
    await connectStatelyInspector({ url: 'https://stately.ai/inspect', iframe });
    expect(stately.made).toMatchObject([
      { kind: 'browser', options: { url: 'https://stately.ai/inspect', iframe, autoStart: true } },
    ]);
  });
});

describe('bundles', () => {
  const importsOf = async (entry: string) => {
    const result = await build({
      absWorkingDir: root,
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      packages: 'external',
      metafile: true,
      logLevel: 'silent',
    });
    return Object.values(result.metafile.outputs).flatMap((output) => output.imports);
  };

  it('the inspect entry reaches @statelyai/inspect only through a dynamic import, and uses no Node built-ins', async () => {
    const imports = await importsOf('src/inspect/index.ts');
    const stately = imports.filter((i) => i.path === '@statelyai/inspect');
    expect(stately.length).toBeGreaterThan(0);
    expect(stately.every((i) => i.kind === 'dynamic-import')).toBe(true);
    expect(imports.filter((i) => i.path.startsWith('node:'))).toEqual([]);
  });

  it('the main entry does not reach @statelyai/inspect at all', async () => {
    const imports = await importsOf('src/index.ts');
    expect(imports.map((i) => i.path)).not.toContain('@statelyai/inspect');
  });
});
