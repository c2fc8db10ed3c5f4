// The timeline names a token refusal only when a provider call was refused: leaving a secured
// session with no call waiting (an account switch, a sign-out) refuses nobody.
import { expect, it } from 'vitest';
import { createActivation } from '../../src/index.js';
import { createInspector } from '../../src/inspect/index.js';
import { createScriptedTag, fakeJwe, flush } from '../support/scripted-tag.js';

it('an account switch shows no refusal; a call of the previous sign-in, refused, does', async () => {
  const inspector = createInspector();
  const tag = createScriptedTag();
  let fetched = 0;
  const activation = createActivation({
    tag,
    fetchToken: async () => fakeJwe(`token${++fetched}`),
    inspect: inspector.inspect,
  }).start();
  activation.signIn('alice');
  await flush();
  activation.signIn('bob');
  await flush();
  expect(activation.getSnapshot()).toMatchObject({ status: 'active', identity: 'bob' });
  expect(inspector.format()).not.toContain('token.refused');

  const alicesProvider = tag.activations[0]!.request;
  if (alicesProvider.mode !== 'secured') throw new Error('a secured activation was expected');
  await expect(alicesProvider.provider()).rejects.toMatchObject({ because: 'stale-request' });
  expect(inspector.format()).toContain('token.refused');
  activation.stop();
});
