// Redaction shared by every output the library produces (failures, inspector, logs):
// tokens and keys never leave in readable form.

/** Compact JOSE (JWS/JWE) and JWT-looking strings: base64url segments starting with `eyJ` ('{"'). */
const COMPACT_JOSE = /eyJ[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*){1,4}/g;
/** PEM private keys, whatever their label (PRIVATE KEY, RSA PRIVATE KEY, ENCRYPTED PRIVATE KEY). */
const PEM_PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;
/** A whole string shaped like a compact JWE (five base64url parts), whatever its header. */
const WHOLE_COMPACT_JWE = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*){4}$/;
/** Long base64 runs (bare keys, DER dumps); short ids and words are left alone. */
const LONG_BASE64 = /[A-Za-z0-9+/_-]{200,}={0,2}/g;
/**
 * A long run that is an identifier, not key material: words in one letter case joined by `-`
 * or `_` (`a-user-id-longer-than-…`). Base64 of key bytes mixes upper and lower case (or has
 * `+`, `/`, `=`) in any run this long, and hex or a repeated character has no word separators.
 */
const IDENTIFIER_RUN = /^(?:[a-z0-9]+(?:[-_][a-z0-9]+)+|[A-Z0-9]+(?:[-_][A-Z0-9]+)+)$/;

export const REDACTED_TOKEN = 'eyJ…[redacted]';
export const REDACTED_KEY = '[redacted key]';
export const REDACTED = '[redacted]';

/** Replaces anything that looks like a token or a key in a text. */
export function redactText(text: string): string {
  if (WHOLE_COMPACT_JWE.test(text)) return REDACTED_TOKEN;
  return text
    .replace(PEM_PRIVATE_KEY, REDACTED_KEY)
    .replace(COMPACT_JOSE, REDACTED_TOKEN)
    .replace(LONG_BASE64, (run) => (IDENTIFIER_RUN.test(run) ? run : REDACTED_KEY));
}

/** Property names whose string values are secrets whatever they look like. */
const SECRET_KEYS =
  /^(token|jwe|jws|privatekey|private_key|secret|password|cookie|set-cookie|authorization|d|p|q|dp|dq|qi|k)$/i;

/**
 * Deep copy with secrets redacted: strings by pattern, and string values under secret-named
 * properties (a JWK's `d`, a `token` field, a cookie) entirely. Cycles and depth are bounded.
 */
export function redactValue(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') {
    return typeof value === 'function' ? '[function]' : value;
  }
  if (seen.has(value) || depth > 12) return '[…]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, seen));
  if (value instanceof Error) return { name: value.name, message: redactText(value.message) };
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = typeof item === 'string' && SECRET_KEYS.test(key) ? REDACTED : redactValue(item, depth + 1, seen);
  }
  return out;
}
