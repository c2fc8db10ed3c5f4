// The tag port: all the activation machine needs from a tag. The real iAdvize adapter
// (iadvize-activation/tag), the fake iAdvize (iadvize-activation/testing) and the unit-test
// double all implement it, so the machine never knows which one it drives.
import type { FailureCode } from '../../machines/failures.js';

/** Hands the tag a fresh token for the current visitor; rejects when none may be given. */
export type TokenProvider = () => Promise<string>;

export type ActivationMode = 'secured' | 'anonymous';

export type ActivateRequest =
  | {
      readonly mode: 'secured';
      /** The tag may call it again at any time (session re-verification, its own retries). */
      readonly provider: TokenProvider;
      /** Aborted when the machine no longer wants this activation (sign-out, timeout). */
      readonly signal: AbortSignal;
    }
  | { readonly mode: 'anonymous'; readonly signal: AbortSignal };

/** The tag's answer to one activate call, vendor reasons already mapped to codes. */
export type TagOutcome =
  { readonly ok: true } | { readonly ok: false; readonly code: FailureCode; readonly reason?: string };

export interface TagPort {
  /**
   * The page the tag lives on (the real adapter gives its window). At most one started
   * controller may drive a scope: the tag holds one identity per page.
   */
  readonly scope?: object;
  /**
   * The tag's configuration on that page (the real adapter: sid and script). A controller started
   * for the same scope and key takes over from the previous one (hot reload) instead of conflicting.
   */
  readonly key?: string;
  /** Resolves once the tag can be used; rejects when it cannot load (reported as `tag-unavailable`). */
  ready(options: { signal: AbortSignal }): Promise<void>;
  /**
   * Calls the tag's activate once. Vendor failures resolve as `{ ok: false, code }`;
   * a rejection is reported as `tag-error`.
   */
  activate(request: ActivateRequest): Promise<TagOutcome>;
  /** Removes the identity and stops the tag; a rejection is reported as `logout-failed`. */
  logout(options: { signal: AbortSignal }): Promise<void>;
}
