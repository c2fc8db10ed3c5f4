// A machine unlike the activation machine, to show the panel draws whatever it is given:
// parallel regions, a final state, a delay, `always`, an invoked actor, a targetless
// transition, a two-target transition, and names that would be markup if pasted as HTML.
import { createMachine, fromPromise } from 'xstate';

export const toyMachine = createMachine(
  {
    id: 'toy',
    initial: 'idle',
    states: {
      idle: {
        description: '"<b>&',
        on: { '<GO>': 'working', JUMP: { target: ['#toy.working.left.b', '#toy.working.right.d'] } },
      },
      working: {
        type: 'parallel',
        states: {
          left: { initial: 'a', states: { a: { after: { 500: 'b' } }, b: { on: { PING: {} } } } },
          right: { initial: 'c', states: { c: { always: { guard: 'ready', target: 'd' } }, d: { type: 'final' } } },
        },
        invoke: { src: 'job', onDone: 'done' },
        on: { STOP: 'done' },
      },
      done: { type: 'final' },
    },
  },
  { guards: { ready: () => false }, actors: { job: fromPromise(() => new Promise<void>(() => undefined)) } },
);
