// The graph's geometry, without a browser: every state and every transition of the machine is
// laid out, children sit inside their cluster, arrows start and end where they should, and the
// transitions XState reports taking are named as the drawing names its arrows.
import { describe, expect, it } from 'vitest';
import { createActor, type InspectionEvent } from 'xstate';
import { activationMachine } from '../../machines/activation.js';
import { layoutStatechart, type Box, type Point } from '../../src/devtools/graph-layout.js';
import { edgeKey, takenEdgeKeys, toStatechartModel } from '../../src/inspect/statechart-model.js';
import { definedStateIds, definedTransitionCount } from './support/machine-facts.js';
import { toyMachine } from './support/toy-machine.js';

const inside = (point: Point, box: Box, slack = 1) =>
  Math.abs(point.x - box.x) <= box.width / 2 + slack && Math.abs(point.y - box.y) <= box.height / 2 + slack;
const contains = (outer: Box, inner: Box) =>
  inner.x - inner.width / 2 >= outer.x - outer.width / 2 - 1 &&
  inner.x + inner.width / 2 <= outer.x + outer.width / 2 + 1 &&
  inner.y - inner.height / 2 >= outer.y - outer.height / 2 - 1 &&
  inner.y + inner.height / 2 <= outer.y + outer.height / 2 + 1;

describe.each([
  ['the activation machine', activationMachine],
  ['a toy machine with parallel regions, final states and a two-target transition', toyMachine],
] as const)('layoutStatechart over %s', (_name, machine) => {
  const layout = layoutStatechart(toStatechartModel(machine));
  const byId = new Map(layout.nodes.map((node) => [node.node.id, node]));

  it('lays out every state of the definition, each child inside its parent cluster, all within the drawing', () => {
    expect(layout.nodes.map((node) => node.node.id).sort()).toEqual(definedStateIds(machine).sort());
    for (const { node, box, cluster, title } of layout.nodes) {
      expect(box.width * box.height, node.id).toBeGreaterThan(0);
      expect(
        contains({ x: layout.width / 2, y: layout.height / 2, width: layout.width, height: layout.height }, box),
        node.id,
      ).toBe(true);
      if (node.parent !== undefined)
        expect(contains(byId.get(node.parent)!.box, box), `${node.id} in ${node.parent}`).toBe(true);
      expect(cluster, node.id).toBe(layout.nodes.some((other) => other.node.parent === node.id));
      if (cluster) expect(contains(box, title!), `${node.id} title`).toBe(true);
    }
  });

  it('draws one arrow per transition of the definition, each with a path per target and a label inside the drawing', () => {
    expect(layout.edges).toHaveLength(definedTransitionCount(machine));
    expect(new Set(layout.edges.map((edge) => edge.key)).size).toBe(layout.edges.length);
    for (const { edge, paths, label, key } of layout.edges) {
      expect(paths, key).toHaveLength(Math.max(edge.targets.length, 1));
      for (const path of paths) expect(path.length, key).toBeGreaterThanOrEqual(2);
      expect(
        inside(label, { x: layout.width / 2, y: layout.height / 2, width: layout.width, height: layout.height }),
        key,
      ).toBe(true);
    }
  });

  it('starts an arrow at its source and ends it at its target (a cluster by its title badge)', () => {
    const anchor = (id: string) => byId.get(id)!.title ?? byId.get(id)!.box;
    for (const { edge, paths, key, loops } of layout.edges) {
      paths.forEach((path, i) => {
        const target = edge.targets[i] ?? edge.source;
        // dagre ends its polylines on the boxes' borders; a loop starts and ends on its own box.
        expect(inside(path[0]!, anchor(edge.source), 2), `${key} starts at ${edge.source}`).toBe(true);
        expect(inside(path.at(-1)!, anchor(target), 2), `${key} ends at ${target}`).toBe(true);
        expect(loops[i], key).toBe(anchor(edge.source) === anchor(target));
      });
    }
  });
});

describe('takenEdgeKeys', () => {
  it('names the transitions XState takes as edgeKey names the model’s, guarded alternatives apart', () => {
    const model = toStatechartModel(activationMachine);
    const keys = new Set(model.edges.map(edgeKey));
    const taken: string[] = [];
    const actor = createActor(activationMachine, {
      input: { policy: { whenSignedOut: 'anonymous' } },
      inspect: (event: InspectionEvent) => {
        if (event.type === '@xstate.microstep') taken.push(...takenEdgeKeys(event._transitions as readonly unknown[]));
      },
    });
    actor.start();
    // signedOut → anonymous (always), then choosing → activating: the unguarded `else` alternative, index 1.
    expect(taken).toEqual(['activation.visitor.signedOut||0', 'activation.visitor.anonymous.choosing||1']);
    // No session at the tag (nothing activated yet): the unguarded alternative after tagMayHoldSession, index 1.
    actor.send({ type: 'SIGN_IN', identity: 'alice' });
    expect(taken.at(-1)).toBe('activation.visitor.anonymous.activating|SIGN_IN|1');
    expect(model.edges.find((edge) => edgeKey(edge) === taken.at(-1))).toMatchObject({
      guard: undefined,
      otherwise: true,
      targets: ['activation.visitor.fetchingToken'],
    });
    expect(
      model.edges.find((edge) => edgeKey(edge) === 'activation.visitor.anonymous.activating|SIGN_IN|0'),
    ).toMatchObject({ guard: 'tagMayHoldSession' });
    for (const key of taken) expect(keys.has(key), key).toBe(true);
    actor.stop();
  });
});
