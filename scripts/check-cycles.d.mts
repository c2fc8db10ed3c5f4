// Types for scripts/check-cycles.mjs, so the cycle test imports it checked.
export declare function findCycles(dirs?: string[], cwd?: string): Promise<string[][]>;
