import { describe, expect, it } from 'vitest';
import { REDACTED, REDACTED_KEY, REDACTED_TOKEN, redactText, redactValue } from '../src/redact.js';

const JWE = 'eyJhbGciOiJSU0EtT0FFUC0yNTYiLCJlbmMiOiJBMjU2R0NNIn0.aGVsbG8.aXY.Y2lwaGVy.dGFn';
const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';

describe('redaction', () => {
  it('hides compact JOSE inside text, keeping the words around it', () => {
    expect(redactText(`activate failed for ${JWE} today`)).toBe(`activate failed for ${REDACTED_TOKEN} today`);
  });

  it('hides a whole five-part token even without the eyJ header', () => {
    expect(redactText('abc.def.ghi.jkl.mno')).toBe(REDACTED_TOKEN);
    expect(redactText('user.name@example.com')).toBe('user.name@example.com');
  });

  it('hides PEM private keys and long base64 runs', () => {
    expect(redactText(`key: ${PEM}`)).toBe(`key: ${REDACTED_KEY}`);
    expect(redactText('A'.repeat(300))).toBe(REDACTED_KEY);
    expect(redactText('short-id-42')).toBe('short-id-42');
  });

  it('leaves a long identifier made of words alone, and still hides key-like runs of the same length', () => {
    const longId = 'a-user-id-longer-than-iadvize-allows-'.repeat(10).slice(0, 300);
    expect(redactText(longId)).toBe(longId);
    expect(redactText(`sign-in for ${longId} refused`)).toBe(`sign-in for ${longId} refused`);
    expect(redactValue({ identity: longId })).toEqual({ identity: longId });
    expect(redactText(`${'CUSTOMER_ID_'.repeat(25)}X`)).toBe(`${'CUSTOMER_ID_'.repeat(25)}X`);
    // Key material of the same length: mixed-case base64 (with or without -/_), hex, one repeated character.
    const base64Key = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7'.repeat(5);
    expect(redactText(base64Key)).toBe(REDACTED_KEY);
    expect(redactText(base64Key.replace(/A/g, '-').replace(/Q/g, '_'))).toBe(REDACTED_KEY);
    expect(redactText('0123456789abcdef'.repeat(16))).toBe(REDACTED_KEY);
    expect(redactText('a'.repeat(300))).toBe(REDACTED_KEY);
    // A base64url run split by dashes into mixed-case pieces is still key-like.
    expect(redactText('Ab3-Xy9_'.repeat(30))).toBe(REDACTED_KEY);
  });

  it('redacts values deeply, and secret-named fields whatever they hold', () => {
    const cyclic: Record<string, unknown> = { token: 'opaque', nested: { d: 'jwk-private-part', list: [JWE, 3] } };
    cyclic.self = cyclic;
    expect(redactValue(cyclic)).toEqual({
      token: REDACTED,
      nested: { d: REDACTED, list: [REDACTED_TOKEN, 3] },
      self: '[…]',
    });
    expect(redactValue(new Error(`bad ${JWE}`))).toEqual({ name: 'Error', message: `bad ${REDACTED_TOKEN}` });
  });
});
