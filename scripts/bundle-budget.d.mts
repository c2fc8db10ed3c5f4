// Types for scripts/bundle-budget.mjs, so the TypeScript budget test imports it checked.
import type { Metafile } from 'esbuild';

export declare const root: string;
export declare const BUDGET_GZIP_BYTES: number;
export declare const CI_CEILING_GZIP_BYTES: number;
export declare const MAIN_AND_TAG_SOURCE: string;
export declare const DEVTOOLS_CEILING_GZIP_BYTES: number;
export declare const DEVTOOLS_ENTRY: string;
export declare const FLOOR_SOURCE: string;

export interface NodeImport {
  readonly path: string;
  readonly importer: string;
  readonly kind: string;
}

export interface BrowserBundle {
  readonly code: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly metafile: Metafile;
  /** Every input file, relative to the repository root. */
  readonly inputs: readonly string[];
  readonly nodeImports: readonly NodeImport[];
}

export declare function bundleForBrowser(options: { source?: string; entry?: string }): Promise<BrowserBundle>;

export declare function contributionsOverFloor(
  bundle: BrowserBundle,
  floor: BrowserBundle,
  count?: number,
): Array<{ path: string; bytesOverFloor: number }>;

export interface BudgetMeasurement {
  readonly library: BrowserBundle;
  readonly floor: BrowserBundle;
  readonly overFloorGzipBytes: number;
  readonly budgetGzipBytes: number;
  readonly withinBudget: boolean;
  readonly ceilingGzipBytes: number;
  readonly withinCeiling: boolean;
}

export declare function measureBudget(): Promise<BudgetMeasurement>;

export interface DevtoolsMeasurement {
  readonly bundle: BrowserBundle;
  readonly gzipBytes: number;
  readonly ceilingGzipBytes: number;
  readonly withinCeiling: boolean;
}

export declare function measureDevtools(): Promise<DevtoolsMeasurement>;

export declare const PRIVATE_KEY_PATTERNS: ReadonlyArray<{ readonly name: string; readonly pattern: RegExp }>;
export declare function findPrivateKeyText(text: string): string[];
