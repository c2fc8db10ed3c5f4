// Types for scripts/check-format.mjs, so the format test imports it checked.
export interface FormatCheck {
  readonly ok: boolean;
  /** The files Prettier would rewrite, as it names them. */
  readonly unformatted: string[];
  readonly output: string;
}
export declare function checkFormat(options?: {
  paths?: string[];
  cwd?: string;
  ignorePath?: string | false;
}): FormatCheck;
