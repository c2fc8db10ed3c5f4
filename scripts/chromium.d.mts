// Types for scripts/chromium.mjs, so the browser tests import it checked.
export declare const chromiumPath: string;
export declare const CHROMIUM_FLAGS: readonly string[];
