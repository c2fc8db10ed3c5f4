import { describe, expect, it } from 'vitest';
import { setup } from 'xstate';
import { activationMachine } from '../../machines/activation.js';
import { activeNodeIds, renderStatechartHtml, toStatechartModel } from '../../src/inspect/index.js';

const model = toStatechartModel(activationMachine);
const sectionOf = (html: string, id: string) => new RegExp(`<section class="([^"]*)" data-state="${id.replace(/\./g, '\\.')}"`).exec(html)?.[1];

describe('renderStatechartHtml', () => {
  it('draws every node, nested, with every transition label', () => {
    const html = renderStatechartHtml(model);
    for (const node of model.nodes.slice(1)) expect(sectionOf(html, node.id), node.id).toContain(`sc-${node.type}`);
    for (const edge of model.edges) expect(html).toContain(`<code>${edge.label.replace(/&/g, '&#38;')}</code>`);
    expect(html).toContain('<code>SIGN_IN [tagHoldsSession]</code> → <span class="sc-target">signingOut</span> <span class="sc-actions">/ queueSignIn</span>');
    expect(html).toMatch(/<p class="sc-heading">in any state<\/p><ul class="sc-transitions"><li class="sc-internal"><code>TOKEN_REQUESTED<\/code>/);
    expect(html).toMatch(/data-state="activation\.secured"[^>]*>.*<div class="sc-children sc-regions">/);
    expect(sectionOf(html, 'activation.signedOut')).toContain('sc-initial');
  });

  it('marks the active states of a snapshot', () => {
    const html = renderStatechartHtml(model, { active: activeNodeIds(model, { secured: { tag: 'active', token: 'stale' } }) });
    const marked = model.nodes.filter((node) => sectionOf(html, node.id)?.includes('sc-active')).map((node) => node.id);
    expect(marked).toEqual(['activation.secured', 'activation.secured.tag', 'activation.secured.tag.active', 'activation.secured.token', 'activation.secured.token.stale']);
  });

  it('escapes whatever the definition says', () => {
    const machine = setup({}).createMachine({ id: 'x', initial: 'a', states: { a: { description: '"<b>&', on: { '<GO>': 'b' } }, b: {} } });
    const html = renderStatechartHtml(toStatechartModel(machine));
    expect(html).toContain('title="&#34;&#60;b&#62;&#38;"');
    expect(html).toContain('<code>&#60;GO&#62;</code>');
    expect(html).not.toContain('<GO>');
  });
});
