// Every public error carries a stable `code` from a documented union (docs/errors.md): at compile
// time (the type tests, checked by tsc as part of npm test) and at run time (an instance of every
// error class a public entry exports).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ACTIVATION_ERROR_CODES,
  ActivationConflictError,
  ActivationOptionsError,
  ActivationUsageError,
  TokenRefusedError,
  TokenUnavailableError,
  type ActivationErrorCode,
} from '../../src/index.js';
import {
  KEY_ERROR_CODES,
  KEY_LOAD_ERROR_CODES,
  KeyError,
  KeyLoadError,
  TOKEN_ERROR_CODES,
  TOKEN_INPUT_ERROR_CODES,
  TokenInputError,
  type KeyErrorCode,
  type KeyLoadErrorCode,
  type TokenErrorCode,
  type TokenInputErrorCode,
} from '../../src/server/index.js';
import { InvariantError, ModelPathError, TESTING_ERROR_CODES, type TestingErrorCode } from '../../src/testing/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The source of each public entry, read from package.json's exports (their declaration paths). */
const ENTRY_SOURCES = Object.values(
  JSON.parse(readFileSync(`${root}package.json`, 'utf8')).exports as Record<string, string | { types?: string }>,
).flatMap((target) =>
  typeof target === 'object' && target.types
    ? [target.types.replace('dist/types/', '').replace(/\.d\.ts$/, '.ts')]
    : [],
);

/** One instance of each public error class, by class name. */
const SAMPLES: Record<string, () => Error & { code: unknown }> = {
  ActivationOptionsError: () => new ActivationOptionsError('tag', "option 'tag' is required"),
  ActivationConflictError: () => new ActivationConflictError(),
  ActivationUsageError: () => new ActivationUsageError('not-started', 'call start() first'),
  TokenRefusedError: () => new TokenRefusedError('not-signed-in'),
  TokenUnavailableError: () => new TokenUnavailableError('no token'),
  KeyError: () => new KeyError('key-missing', 'customer-private', 'no key'),
  TokenInputError: () => new TokenInputError('user-id', 'bad user id'),
  KeyLoadError: () => new KeyLoadError('missing', 'env:IADVIZE_PUBLIC_KEY', 'iadvize-public', 'unset'),
  InvariantError: () => new InvariantError([], []),
  ModelPathError: () => new ModelPathError('the path went astray'),
};

const ALL_CODES: readonly string[] = [...ACTIVATION_ERROR_CODES, ...TOKEN_ERROR_CODES, ...TESTING_ERROR_CODES];

describe('error codes: types', () => {
  it('each browser-side error code is in ActivationErrorCode, which is the documented list', () => {
    expectTypeOf<ActivationOptionsError['code']>().toExtend<ActivationErrorCode>();
    expectTypeOf<ActivationConflictError['code']>().toExtend<ActivationErrorCode>();
    expectTypeOf<ActivationUsageError['code']>().toExtend<ActivationErrorCode>();
    expectTypeOf<TokenRefusedError['code']>().toExtend<ActivationErrorCode>();
    expectTypeOf<TokenUnavailableError['code']>().toExtend<ActivationErrorCode>();
    expectTypeOf<ActivationErrorCode>().toEqualTypeOf<
      | 'invalid-options'
      | 'controller-conflict'
      | 'not-started'
      | 'invalid-identity'
      | 'token-refused'
      | 'token-unavailable'
    >();
  });

  it('each token-service error code is in TokenErrorCode', () => {
    expectTypeOf<KeyError['code']>().toEqualTypeOf<KeyErrorCode>();
    expectTypeOf<TokenInputError['code']>().toEqualTypeOf<TokenInputErrorCode>();
    expectTypeOf<KeyLoadError['code']>().toEqualTypeOf<KeyLoadErrorCode>();
    expectTypeOf<KeyErrorCode | TokenInputErrorCode | KeyLoadErrorCode>().toEqualTypeOf<TokenErrorCode>();
  });

  it('each testing-kit error code is in TestingErrorCode', () => {
    expectTypeOf<InvariantError['code']>().toExtend<TestingErrorCode>();
    expectTypeOf<ModelPathError['code']>().toExtend<TestingErrorCode>();
  });

  it('a switch on the code of any public error compiles exhaustively', () => {
    type PublicError =
      | ActivationOptionsError
      | ActivationConflictError
      | ActivationUsageError
      | TokenRefusedError
      | TokenUnavailableError;
    const handled = (error: PublicError): string => {
      switch (error.code) {
        case 'invalid-options':
        case 'controller-conflict':
        case 'not-started':
        case 'invalid-identity':
          return 'fix the integration';
        case 'token-refused':
        case 'token-unavailable':
          return 'no token';
        default:
          return error satisfies never;
      }
    };
    expect(handled(new TokenRefusedError('stopped'))).toBe('no token');
  });
});

describe('error codes: run time', () => {
  it('every error class the public entries export is sampled here (a new one must get a code)', async () => {
    const exported = new Set<string>();
    expect(ENTRY_SOURCES).toContain('./src/tag/index.ts');
    for (const source of ENTRY_SOURCES) {
      const entry: Record<string, unknown> = await import(`${root}${source.slice(2)}`);
      for (const [name, value] of Object.entries(entry)) {
        if (typeof value === 'function' && value.prototype instanceof Error) exported.add(name);
      }
    }
    expect([...exported].sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  it.each(Object.entries(SAMPLES))('%s carries a documented code and its own name', (name, sample) => {
    const error = sample();
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(ALL_CODES).toContain(error.code);
  });

  it('the three code lists are distinct, so one switch handles every error', () => {
    expect(new Set(ALL_CODES).size).toBe(ALL_CODES.length);
  });

  it('docs/errors.md lists exactly these codes, each with its class', () => {
    const page = readFileSync(`${root}docs/errors.md`, 'utf8');
    const rows = [...page.matchAll(/^\| `([a-z-]+)` \| `(\w+)`/gm)].map(([, code, error]) => ({ code, error }));
    expect(rows.map(({ code }) => code).sort()).toEqual([...ALL_CODES].sort());
    expect(new Set(rows.map(({ error }) => error))).toEqual(new Set(Object.keys(SAMPLES)));
    for (const { code, error } of rows) {
      const instance =
        error === 'ActivationUsageError' ? new ActivationUsageError(code as 'not-started', '') : SAMPLES[error!]!();
      // These take their code at construction: the row's code must be one of their list.
      const given: Record<string, readonly string[]> = {
        KeyError: KEY_ERROR_CODES,
        TokenInputError: TOKEN_INPUT_ERROR_CODES,
        KeyLoadError: KEY_LOAD_ERROR_CODES,
      };
      if (error! in given) {
        expect(given[error!], `${error} in docs/errors.md`).toContain(code);
        continue;
      }
      expect(instance.code, `${error} in docs/errors.md`).toBe(code);
    }
  });
});
