// The bindings are paid for by the apps that import them only: the main entry's browser bundle
// holds nothing of React, Vue or the hooks, and a binding holds nothing of the controller (it is
// given one), so neither brings a second copy of the machine or of xstate.
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleForBrowser, type BrowserBundle } from '../../scripts/bundle-budget.mjs';

const FRAMEWORK = /(^|\/)node_modules\/(react|react-dom|scheduler|vue|@vue\/[^/]+)\//;
const XSTATE = /(^|\/)node_modules\/xstate\//;
const ownFiles = (bundle: BrowserBundle) => bundle.inputs.filter((input) => input.startsWith('dist/'));

let main: BrowserBundle;
let tag: BrowserBundle;
let bindings: Record<'react' | 'vue', BrowserBundle>;

beforeAll(async () => {
  const [mainBundle, tagBundle, react, vue] = await Promise.all(
    ['dist/index.js', 'dist/tag.js', 'dist/react.js', 'dist/vue.js'].map((entry) => bundleForBrowser({ entry })),
  );
  [main, tag, bindings] = [mainBundle!, tagBundle!, { react: react!, vue: vue! }];
});

describe('the bindings stay apart', () => {
  it('the main and tag entries bundle no framework and no file of a binding', () => {
    const bindingFiles = new Set([...ownFiles(bindings.react), ...ownFiles(bindings.vue)]);
    for (const bundle of [main, tag]) {
      expect(bundle.inputs.filter((input) => FRAMEWORK.test(input))).toEqual([]);
      expect(ownFiles(bundle).filter((file) => bindingFiles.has(file))).toEqual([]);
    }
  });

  it.each(['react', 'vue'] as const)(
    'the %s binding bundles its framework but not the controller, the machine or xstate',
    (name) => {
      const bundle = bindings[name];
      expect(bundle.inputs.filter((input) => FRAMEWORK.test(input))).not.toEqual([]);
      expect(bundle.inputs.filter((input) => XSTATE.test(input))).toEqual([]);
      expect(ownFiles(bundle).filter((file) => ownFiles(main).includes(file))).toEqual([]);
    },
  );
});
