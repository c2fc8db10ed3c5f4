/**
 * iadvize-activation/devtools: an inspection panel for any page, loaded only when asked for
 * (its own entry, never in the main bundle): status, identity, the token's freshness, the live
 * statechart as a graph, the last failure and the redacted timeline, exportable as JSON.
 * @module iadvize-activation/devtools
 */
export { mountDevtools } from './mount.js';
export type { Devtools, DevtoolsOptions } from './mount.js';
export type { DevtoolsReport } from './report.js';
export type { Freshness, FreshnessState } from './freshness.js';
