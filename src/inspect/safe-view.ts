// What the inspectors keep or send of a value: a small, plain, redacted copy. Nothing recorded
// shares a reference with the machine, so no raw token or key survives in the timeline.
import { redactValue } from '../redact.js';

const MAX_DEPTH = 3;
const MAX_ITEMS = 10;
const MAX_KEYS = 20;
const MAX_STRING = 160;

/**
 * Bounds the shape first (a context may hold actor refs or large objects), then redacts, then
 * shortens long strings: truncation comes last so a cut can never hide a token from the patterns.
 */
export function safeView(value: unknown): unknown {
  return mapStrings(redactValue(boundShape(value, 0)), (text) =>
    text.length > MAX_STRING ? `${text.slice(0, MAX_STRING)}…` : text,
  );
}

function boundShape(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? '[function]' : value;
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (depth >= MAX_DEPTH) return Array.isArray(value) ? `[${value.length} items]` : '{…}';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => boundShape(item, depth + 1));
    return value.length > MAX_ITEMS ? [...items, `…${value.length - MAX_ITEMS} more`] : items;
  }
  const out: Record<string, unknown> = {};
  const entries = Object.entries(value).filter(([, item]) => item !== undefined);
  for (const [key, item] of entries.slice(0, MAX_KEYS)) out[key] = boundShape(item, depth + 1);
  if (entries.length > MAX_KEYS) out['…'] = `${entries.length - MAX_KEYS} more keys`;
  return out;
}

/** Applies `change` to every string in plain data (the output of redactValue). */
function mapStrings(value: unknown, change: (text: string) => string): unknown {
  if (typeof value === 'string') return change(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, change));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, change)]));
}
