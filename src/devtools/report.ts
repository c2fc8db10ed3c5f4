// The bug report the panel exports: where the machine is, the controller's view, the token's
// freshness (never the token) and the redacted timeline, redacted once more so that nothing the
// host put in a failure reason or an identity can carry a token or a key out.
import type { Activation } from '../activation/create-activation.js';
import type { InspectorRecording } from '../inspect/entries.js';
import type { Inspector } from '../inspect/inspector.js';
import { redactValue } from '../redact.js';
import type { Freshness } from './freshness.js';

export interface DevtoolsReport {
  readonly report: 'iadvize-activation devtools';
  readonly exportedAt: string;
  readonly machine: string;
  /** The machine's state value, as `actor.getSnapshot().value`. */
  readonly value: unknown;
  readonly state: unknown;
  readonly token: Freshness;
  readonly timeline: InspectorRecording;
}

export function buildReport(
  activation: Activation,
  inspector: Inspector,
  token: Freshness,
  now: number,
): DevtoolsReport {
  const redacted = redactValue({ state: activation.getSnapshot(), token, timeline: inspector.toJSON() }) as Pick<
    DevtoolsReport,
    'state' | 'token' | 'timeline'
  >;
  return {
    report: 'iadvize-activation devtools',
    exportedAt: new Date(now).toISOString(),
    machine: activation.actor.logic.id,
    // State keys from the definition, kept as they are: a region named `token` is not a secret.
    value: activation.actor.getSnapshot().value,
    ...redacted,
  };
}

export const REPORT_FILE_NAME = 'iadvize-activation-report.json';
