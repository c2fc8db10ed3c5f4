// docs/statechart.svg, the picture docs/statechart.md shows, opened by Chromium as a page opens
// an image: it must be well-formed SVG that draws at its own size, and name every state. (That it
// is what the generator makes now is docs-up-to-date.test.ts's job.)
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activationMachine } from '../../machines/activation.js';
import { nodeTitle } from '../../src/devtools/graph-layout.js';
import { toStatechartModel } from '../../src/inspect/index.js';
import { browserAvailable, launchChromium } from '../support/browser.js';

const SVG_TEXT = readFileSync('docs/statechart.svg', 'utf8');

describe.skipIf(!browserAvailable)('docs/statechart.svg in Chromium', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** Loads `svg` in an <img>, as a Markdown page shows it: its drawn size, or why it did not load. */
  const asImage = async (svg: string) => {
    await page.setContent('<!doctype html><html><body></body></html>');
    return page.evaluate(
      (source) =>
        new Promise<{ width: number; height: number } | 'failed'>((resolve) => {
          const image = new Image();
          image.onload = () => resolve({ width: image.naturalWidth, height: image.naturalHeight });
          image.onerror = () => resolve('failed');
          image.src = `data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(source)))}`;
        }),
      svg,
    );
  };

  it('loads as an image at the size its viewBox gives', async () => {
    const [, width, height] = /viewBox="0 0 ([\d.]+) ([\d.]+)"/.exec(SVG_TEXT) ?? [];
    expect(await asImage(SVG_TEXT)).toEqual({
      width: Math.round(Number(width)),
      height: Math.round(Number(height)),
    });
  });

  it('fails to load when the file is not well-formed (the check above can fail)', async () => {
    expect(await asImage(SVG_TEXT.replace('</svg>', ''))).toBe('failed');
  });

  it('names every state of the machine, inside the box of its parent', async () => {
    const states = toStatechartModel(activationMachine).nodes.filter((node) => node.parent !== undefined);
    const outside = await page.evaluate(
      ({ source, states }) => {
        document.body.innerHTML = source;
        const box = (id: string) => document.querySelector(`[data-state="${id}"] > .frame`)?.getBoundingClientRect();
        return states.flatMap(({ id, parent, title }) => {
          const own = box(id);
          const name = document.querySelector(`[data-state="${id}"] .name`)?.textContent;
          if (own === undefined || name !== title) return [`${id}: not drawn with its name`];
          const around = box(parent);
          if (around === undefined) return [`${id}: its parent ${parent} is not drawn`];
          const inside =
            own.left >= around.left &&
            own.right <= around.right &&
            own.top >= around.top &&
            own.bottom <= around.bottom;
          return inside ? [] : [`${id}: outside ${parent}`];
        });
      },
      {
        source: SVG_TEXT,
        states: states.map((node) => ({ id: node.id, parent: node.parent!, title: nodeTitle(node) })),
      },
    );
    expect(outside).toEqual([]);
  });
});
