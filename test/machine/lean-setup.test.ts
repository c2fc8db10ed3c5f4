// leanSetup is XState's setup() for the types and only its createMachine at run time (a smaller
// bundle): the machine it builds must be the one setup() builds, definition and behaviour.
import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, setup, type AnyStateMachine } from 'xstate';
import { activationMachine, leanSetup } from '../../machines/activation.js';

const { actors, actions, guards, delays } = activationMachine.implementations;
const config = activationMachine.config as Parameters<ReturnType<typeof setup>['createMachine']>[0];
const bySetup = setup({ actors, actions, guards, delays } as never).createMachine(
  config as never,
) as unknown as AnyStateMachine;
const byLeanSetup = leanSetup({ actors, actions, guards, delays } as never).createMachine(
  config as never,
) as unknown as AnyStateMachine;

/** A site's walk through the chart, the tag and the token source answering at once. */
async function walk(machine: AnyStateMachine): Promise<unknown[]> {
  const answered = machine.provide({
    actors: {
      loadTag: fromPromise(async () => undefined),
      fetchToken: fromPromise(async () => ({ token: 'a.b.c.d.e' })),
      activateTag: fromPromise(async () => ({ ok: true })),
      logoutTag: fromPromise(async () => undefined),
    },
  });
  const actor = createActor(answered, { input: { policy: { whenSignedOut: 'anonymous' } } }).start();
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  const seen: unknown[] = [];
  await settle();
  seen.push(actor.getSnapshot().value);
  for (const event of [
    { type: 'SIGN_IN', identity: 'alice' },
    { type: 'SIGN_IN', identity: 'bob' },
    { type: 'SIGN_OUT' },
  ]) {
    actor.send(event);
    await settle();
    seen.push(actor.getSnapshot().value, actor.getSnapshot().context.visitor, actor.getSnapshot().context.tagSession);
  }
  actor.stop();
  return seen;
}

describe('leanSetup', () => {
  it('builds the definition setup() builds', () => {
    expect(JSON.stringify(byLeanSetup.definition)).toBe(JSON.stringify(bySetup.definition));
    expect(JSON.stringify(activationMachine.definition)).toBe(JSON.stringify(bySetup.definition));
  });

  it('carries the same implementations', () => {
    for (const kind of ['actors', 'actions', 'guards', 'delays'] as const) {
      expect(Object.keys(byLeanSetup.implementations[kind]).sort()).toEqual(
        Object.keys(bySetup.implementations[kind]).sort(),
      );
      for (const [name, implementation] of Object.entries(bySetup.implementations[kind])) {
        expect(byLeanSetup.implementations[kind][name], `${kind}.${name}`).toBe(implementation);
      }
    }
  });

  it('behaves as setup()’s machine on a walk through the chart', async () => {
    const [lean, full] = await Promise.all([walk(byLeanSetup), walk(bySetup)]);
    expect(lean).toEqual(full);
    expect(full).toContainEqual({ identity: 'bob' });
  });
});
