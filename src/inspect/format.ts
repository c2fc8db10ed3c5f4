// The timeline as text, for Node tests and bug reports:
//   +0ms      signedOut → fetchingToken  SIGN_IN {identity:"user-42"}
//                 attempt=1  visitor={identity:"user-42"}
//   +0ms        fetchToken started
import type { InspectorEntry, InspectorEntryKind, InspectorRecording, TransitionEntry } from './entries.js';

export interface FormatOptions {
  /** Under each transition, the context fields it changed (default true). */
  readonly context?: boolean;
  /** The kinds of entries to print (default: all recorded). */
  readonly kinds?: readonly InspectorEntryKind[];
}

const TIME_WIDTH = 10;

/** Prints a recording, e.g. `inspector.toJSON()` or one saved from a bug report. */
export function formatTimeline(recording: InspectorRecording, options: FormatOptions = {}): string {
  const showContext = options.context ?? true;
  const kinds = options.kinds === undefined ? undefined : new Set(options.kinds);
  const origin = recording.origin ?? recording.entries[0]?.at ?? 0;
  const lastContext = new Map<string, unknown>();
  const lines: string[] = [];
  if (recording.dropped > 0) lines.push(`… ${recording.dropped} earlier entries dropped (limit ${recording.limit})`);

  for (const entry of recording.entries) {
    const previous = entry.kind === 'transition' ? lastContext.get(entry.actorId) : undefined;
    if (entry.kind === 'transition') lastContext.set(entry.actorId, entry.context);
    if (kinds !== undefined && !kinds.has(entry.kind)) continue;
    const time = `+${entry.at - origin}ms`.padEnd(TIME_WIDTH);
    const who = entry.root ? '' : '  ';
    lines.push(`${time}${who}${describe(entry)}`.trimEnd());
    if (entry.kind === 'transition' && showContext) {
      const changes = contextChanges(previous, entry.context);
      if (changes !== '') lines.push(`${' '.repeat(TIME_WIDTH + 4)}${changes}`);
    }
  }
  return lines.join('\n');
}

function describe(entry: InspectorEntry): string {
  switch (entry.kind) {
    case 'transition':
      return `${actorPrefix(entry)}${moveOf(entry)}  ${withData(entry.event.label, entry.event.data)}${guardsOf(entry)}${entry.status === 'active' ? '' : `  (${entry.status})`}`;
    case 'actor':
      return withData(`${entry.actor} ${entry.lifecycle}`, entry.error);
    case 'emitted':
      return `${actorPrefix(entry)}emitted ${withData(entry.event.label, entry.event.data)}`;
    case 'event':
      return `${actorPrefix(entry)}received ${withData(entry.event.label, entry.event.data)}${entry.sourceId === undefined ? '' : ` from ${entry.sourceId}`}`;
  }
}

/** Lines about the root actor need no name; the others say whose they are. */
function actorPrefix(entry: InspectorEntry): string {
  return entry.root ? '' : `${entry.actor} `;
}

function moveOf(entry: TransitionEntry): string {
  if (entry.from === undefined) return `(start) → ${entry.to}`;
  return entry.changed ? `${entry.from} → ${entry.to}` : `${entry.to} (stays)`;
}

function guardsOf(entry: TransitionEntry): string {
  const guards = entry.steps.flatMap((step) => (step.guard === undefined ? [] : [step.guard]));
  return guards.length === 0 ? '' : `  [${guards.join(', ')}]`;
}

function withData(label: string, data: unknown): string {
  return data === undefined ? label : `${label} ${inline(data)}`;
}

/** `key=value` for each top-level context field that differs from the previous transition's. */
function contextChanges(previous: unknown, next: unknown): string {
  if (next === null || typeof next !== 'object') return previous === next ? '' : inline(next);
  const before = (previous ?? {}) as Record<string, unknown>;
  const after = next as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys
    .filter((key) => inline(before[key]) !== inline(after[key]))
    .map((key) => `${key}=${inline(after[key])}`)
    .join('  ');
}

/** Compact, JSON-like, keys unquoted: `{identity:"user-42", attempt:1}`. */
function inline(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  return `{${Object.entries(value)
    .map(([key, item]) => `${key}:${inline(item)}`)
    .join(', ')}}`;
}
