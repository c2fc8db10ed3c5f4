// Readable names for the parts of an XState definition (guards, actions, state values), shared
// by the statechart generator and the timeline so both speak the same words.
import type { StateValue } from 'xstate';

/** A guard as XState stores it: a name, `{ type, params }` (`type(key=value, …)`), or a function (inline or `and`/`or`/`not`). */
export function guardName(guard: unknown): string | undefined {
  if (guard === undefined || guard === null) return undefined;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') {
    const combined = (guard as { guards?: unknown[] }).guards;
    const name = guard.name || 'inline';
    return Array.isArray(combined) ? `${name}(${combined.map((g) => guardName(g) ?? '?').join(', ')})` : name;
  }
  const { type, params } = guard as { type?: unknown; params?: unknown };
  if (typeof type !== 'string') return 'inline';
  // One guard type with different params picks different targets: the label must tell them apart.
  return params !== null && typeof params === 'object'
    ? `${type}(${Object.entries(params)
        .map(
          ([key, value]) =>
            `${key}=${typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}`,
        )
        .join(', ')})`
    : type;
}

/** An action as XState stores it: a name, `{ type, params }`, or a built-in/inline function. */
export function actionName(action: unknown): string {
  if (typeof action === 'string') return action;
  const type = (action as { type?: unknown } | null | undefined)?.type;
  if (typeof type === 'string') return type.replace(/^xstate\./, '');
  return typeof action === 'function' && action.name ? action.name : 'inline';
}

/** `'signedOut'`, `'anonymous.activating'`; parallel regions: `'tag.ready.idle, visitor.secured(activation.active, token.fresh)'`. */
export function stateLabel(value: StateValue): string {
  if (typeof value === 'string') return value;
  return Object.entries(value)
    .map(([key, sub]) => key + childLabel(sub))
    .join(', ');
}

function childLabel(sub: StateValue | undefined): string {
  if (sub === undefined) return '';
  if (typeof sub === 'string') return `.${sub}`;
  const regions = Object.keys(sub).length;
  if (regions === 0) return '';
  return regions > 1 ? `(${stateLabel(sub)})` : `.${stateLabel(sub)}`;
}
