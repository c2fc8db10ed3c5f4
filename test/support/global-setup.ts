// Builds dist/ once before the suite: the CLI and browser tests run the built artefacts,
// exactly what a user installs.
// @ts-expect-error -- plain ESM build script without declarations
import { buildAll } from '../../scripts/build.mjs';

export default async function setup(): Promise<void> {
  await buildAll({ declarations: false });
}
