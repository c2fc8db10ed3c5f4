// The Mermaid text toMermaid() writes (docs/statechart.md, and any site's own machine) read by
// Mermaid itself, in Chromium: it must parse and render, with every state drawn. The generator's
// own tests (statechart.test.ts) check what the text says; only Mermaid can say it is Mermaid.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type AnyStateMachine } from 'xstate';
import { activationMachine } from '../../machines/activation.js';
import { toMermaid, toStatechartModel } from '../../src/inspect/index.js';
import { browserAvailable, launchChromium } from '../support/browser.js';

const MERMAID_JS = readFileSync(createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js'), 'utf8');

/**
 * What Mermaid drew: its text, and for each state box or cluster the id Mermaid gave it
 * (`<chart>-state-<state id>-<n>`) with the name written in it.
 */
type Rendered =
  | { readonly ok: true; readonly text: string; readonly states: ReadonlyArray<readonly [string, string]> }
  | { readonly ok: false; readonly error: string };

/** A parallel root named like one of its regions, with a nested parallel state. */
const nestedParallel = setup({}).createMachine({
  id: 'video',
  type: 'parallel',
  states: {
    sound: { initial: 'muted', states: { muted: { on: { UNMUTE: 'playing' } }, playing: {} } },
    video: {
      initial: 'stopped',
      states: {
        stopped: { on: { PLAY: 'running' } },
        running: {
          type: 'parallel',
          on: { STOP: 'stopped' },
          states: {
            frames: { initial: 'decoding', states: { decoding: {} } },
            captions: { initial: 'hidden', states: { hidden: { on: { SHOW: 'shown' } }, shown: {} } },
          },
        },
      },
    },
  },
});

/** A root that is not parallel, with a final state. */
const sequential = setup({}).createMachine({
  id: 'door',
  initial: 'closed',
  states: { closed: { on: { OPEN: 'door' } }, door: { on: { CLOSE: 'closed' }, type: 'final' } },
});

describe.skipIf(!browserAvailable)('Mermaid reads the generated statecharts (Chromium)', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage();
    await page.setContent('<!doctype html><html><body><div id="out"></div></body></html>');
    await page.addScriptTag({ content: MERMAID_JS });
    await page.evaluate(() => (globalThis as unknown as MermaidGlobal).mermaid.initialize({ startOnLoad: false }));
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** Parses and renders `code` with Mermaid; the drawing's text on success. */
  const render = (code: string): Promise<Rendered> =>
    page.evaluate(async (code) => {
      const { mermaid } = globalThis as unknown as MermaidGlobal;
      try {
        await mermaid.parse(code);
        const chart = `chart${Math.random().toString(36).slice(2)}`;
        const { svg } = await mermaid.render(chart, code);
        const out = document.getElementById('out')!;
        out.innerHTML = svg;
        const states = [...out.querySelectorAll(`g[id^="${chart}-state-"]`)].map((group) => {
          const id = group.id.slice(`${chart}-state-`.length).replace(/-\d+$/, '');
          return [id, group.querySelector('.nodeLabel, .cluster-label, text')?.textContent?.trim() ?? ''] as const;
        });
        return { ok: true as const, text: out.textContent ?? '', states };
      } catch (error) {
        return { ok: false as const, error: String((error as Error)?.message ?? error) };
      }
    }, code);

  it('refuses a parallel root split by a top-level `--` (what the generator must never write)', async () => {
    const result = await render('stateDiagram-v2\n  state "a" as a\n  --\n  state "b" as b\n');
    expect(result.ok).toBe(false);
  });

  for (const [name, machine] of [
    ['the activation machine', activationMachine],
    ['a parallel root named like a region, holding a parallel state', nestedParallel],
    ['a sequential root', sequential],
  ] as const) {
    it(`parses and draws ${name}, every state named in the drawing`, async () => {
      const result = await render(toMermaid(machine));
      if (!result.ok) throw new Error(`Mermaid refused the text: ${result.error}`);
      expectEveryStateDrawn(result, machine);
    });
  }

  /** Each state of `machine` is a box or cluster of its own in the drawing, carrying its name. */
  function expectEveryStateDrawn(result: Rendered, machine: AnyStateMachine): void {
    if (!result.ok) throw new Error(`Mermaid refused the text: ${result.error}`);
    const drawn = new Map(result.states);
    for (const node of toStatechartModel(machine).nodes.filter((n) => n.path.length > 0)) {
      expect(result.text, node.path.join('.')).toContain(node.key);
      // The generator's ids: the path joined with `_`.
      expect(drawn.get(node.path.join('_').replace(/[^A-Za-z0-9_]/g, '_')), node.path.join('.')).toBe(node.key);
    }
  }

  it('draws docs/statechart.md as published', async () => {
    const published = /```mermaid\n([\s\S]*?)```/.exec(readFileSync('docs/statechart.md', 'utf8'))?.[1];
    expect(published).toBeDefined();
    const result = await render(published!);
    expect(result.ok && result.text).toContain('fetchingToken');
    expectEveryStateDrawn(result, activationMachine);
  });
});

interface MermaidGlobal {
  readonly mermaid: {
    initialize(config: { startOnLoad: boolean }): void;
    parse(code: string): Promise<unknown>;
    render(id: string, code: string): Promise<{ svg: string }>;
  };
}
