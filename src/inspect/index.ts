// iadvize-activation/inspect: offline timeline inspector with redaction; Stately inspector helper;
// the statechart generated from the machine (Mermaid text, and a model for live rendering: the
// devtools panel, iadvize-activation/devtools, draws it as a graph).
export { redactText, redactValue, REDACTED, REDACTED_KEY, REDACTED_TOKEN } from '../redact.js';
export { createInspector, DEFAULT_INSPECTOR_LIMIT } from './inspector.js';
export type { Inspector, InspectorOptions } from './inspector.js';
export type {
  ActorEntry,
  EmittedEntry,
  EventView,
  InspectorEntry,
  InspectorEntryBase,
  InspectorEntryKind,
  InspectorRecording,
  ReceivedEventEntry,
  SnapshotStatus,
  TransitionEntry,
  TransitionStep,
} from './entries.js';
export { formatTimeline } from './format.js';
export type { FormatOptions } from './format.js';
export { stateLabel } from './names.js';
export { connectStatelyInspector } from './stately.js';
export type { StatelyInspector, StatelyInspectorOptions } from './stately.js';
export { toMermaid } from './statechart.js';
export { activeNodeIds, edgeKey, takenEdgeKeys, toStatechartModel } from './statechart-model.js';
export type {
  StatechartEdge,
  StatechartModel,
  StatechartNode,
  StatechartNodeType,
  TriggerKind,
} from './statechart-model.js';
