// The controller's snapshot on the page: the status (exactly getSnapshot().status), and the
// failure with its code, reason and advice, as the library reports them.
import type { Activation, ActivationState, Failure } from '../../index.js';
import { byTestId } from './dom.js';

export function showStatus(activation: Activation): void {
  const render = (state: ActivationState) => {
    const status = byTestId('activation-status');
    status.textContent = state.status;
    status.dataset.status = state.status;
    showFailure('failure', state.failure);
    showFailure('refresh-failure', state.refreshFailure);
  };
  activation.subscribe(render);
  render(activation.getSnapshot());
}

function showFailure(prefix: 'failure' | 'refresh-failure', failure: Failure | undefined): void {
  byTestId(prefix).hidden = failure === undefined;
  byTestId(`${prefix}-code`).textContent = failure?.code ?? '';
  byTestId(`${prefix}-advice`).textContent = failure?.advice ?? '';
  if (prefix === 'failure') {
    byTestId('failure-phase').textContent = failure === undefined ? '' : `during ${failure.phase}`;
    byTestId('failure-reason').textContent = failure?.reason ?? '';
  }
}
