// The live statechart: drawn from the machine definition, the active states marked on every
// snapshot of the controller's actor.
import { activationMachine, type Activation } from '../../index.js';
import { renderStatechartHtml } from '../../inspect/statechart-html.js';
import { activeNodeIds, toStatechartModel } from '../../inspect/statechart-model.js';
import { coalesced } from './dom.js';

export function showStatechart(activation: Activation, container: HTMLElement): void {
  const model = toStatechartModel(activationMachine);
  const render = coalesced(() => {
    container.innerHTML = renderStatechartHtml(model, { active: activeNodeIds(model, activation.actor.getSnapshot().value) });
  });
  activation.actor.subscribe({ next: render, error: () => undefined });
  render();
}
