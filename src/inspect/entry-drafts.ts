// Turns XState inspection events into timeline entry drafts. It keeps only what it needs to
// write "from → to" (each machine's last state label, the microsteps of the step in progress)
// and actor names for readable labels, all in bounded maps.
import type { AnyEventObject, InspectionEvent, StateValue } from 'xstate';
import type {
  EntryDraft,
  EventView,
  InspectorEntryBase,
  InspectorEntryKind,
  SnapshotStatus,
  TransitionStep,
} from './entries.js';
import { guardName, stateLabel } from './names.js';
import { safeView } from './safe-view.js';

/** The actor ref fields read here; `src`, `logic` and `_parent` are not in XState's public ref type. */
interface InspectedRef {
  readonly id: string;
  readonly sessionId: string;
  readonly src?: unknown;
  readonly logic?: { readonly id?: unknown };
  readonly _parent?: { readonly id?: string };
}

interface InspectedSnapshot {
  readonly status: SnapshotStatus;
  readonly value?: StateValue;
  readonly context?: unknown;
  readonly error?: unknown;
}

interface StepSource {
  readonly source: { readonly path: readonly string[] };
  readonly target?: ReadonlyArray<{ readonly path: readonly string[] }>;
  readonly guard?: unknown;
}

/** Actors tracked at once; far above what one activation runs, and a cap if something leaks. */
const TRACKED_ACTORS = 200;

export interface EntryDrafter {
  /** The drafts for one inspection event: none, or one entry. */
  draft(event: InspectionEvent): EntryDraft[];
}

export function createEntryDrafter(kinds: ReadonlySet<InspectorEntryKind>): EntryDrafter {
  const names = new Map<string, string>();
  const lastState = new Map<string, string>();
  const pendingSteps = new Map<string, TransitionStep[]>();

  const base = (event: InspectionEvent): Omit<InspectorEntryBase, 'seq' | 'at'> => {
    const ref = event.actorRef as unknown as InspectedRef;
    return { actorId: ref.id, actor: names.get(ref.id) ?? nameOf(ref), root: event.rootId === ref.sessionId };
  };
  const view = (event: AnyEventObject): EventView => eventView(event, names);

  return {
    draft(event) {
      const ref = event.actorRef as unknown as InspectedRef;
      switch (event.type) {
        case '@xstate.actor': {
          remember(names, ref.id, nameOf(ref));
          if (!kinds.has('actor')) return [];
          return [{ kind: 'actor', ...base(event), lifecycle: 'started', parentId: ref._parent?.id, error: undefined }];
        }
        case '@xstate.event': {
          // Not the start of a step: XState reports an event when it is sent, and a child started
          // in a step (or an observer) may send one before that step's snapshot. The snapshot
          // ends the step; the initial microsteps even come before the init event.
          if (!kinds.has('event')) return [];
          return [
            {
              kind: 'event',
              ...base(event),
              event: view(event.event),
              sourceId: (event.sourceRef as InspectedRef | undefined)?.id,
            },
          ];
        }
        case '@xstate.microstep': {
          const steps = ((event._transitions ?? []) as unknown as StepSource[]).map(stepOf);
          remember(pendingSteps, ref.sessionId, [...(pendingSteps.get(ref.sessionId) ?? []), ...steps]);
          return [];
        }
        case '@xstate.snapshot': {
          const snapshot = event.snapshot as InspectedSnapshot;
          if (snapshot.value === undefined) {
            // Promise and callback actors: only their end is worth a line (their start has one).
            if (snapshot.status === 'active' || !kinds.has('actor')) return [];
            return [
              {
                kind: 'actor',
                ...base(event),
                lifecycle: snapshot.status,
                parentId: ref._parent?.id,
                error: snapshot.status === 'error' ? safeView(snapshot.error) : undefined,
              },
            ];
          }
          const to = stateLabel(snapshot.value);
          const from = lastState.get(ref.sessionId);
          const steps = pendingSteps.get(ref.sessionId) ?? [];
          remember(lastState, ref.sessionId, to);
          pendingSteps.delete(ref.sessionId);
          if (!kinds.has('transition')) return [];
          return [
            {
              kind: 'transition',
              ...base(event),
              event: view(event.event),
              from,
              to,
              changed: from !== to,
              steps,
              status: snapshot.status,
              context: safeView(snapshot.context),
            },
          ];
        }
        case '@xstate.action': {
          const emitted = (event.action.params as { event?: AnyEventObject } | undefined)?.event;
          if (event.action.type !== 'xstate.emit' || emitted === undefined || !kinds.has('emitted')) return [];
          // A hand-over answer that names no provider call refused nobody: not news for the timeline.
          if (emitted.type === 'token.refused' && (emitted as { requestIds?: unknown[] }).requestIds?.length === 0)
            return [];
          return [{ kind: 'emitted', ...base(event), event: view(emitted) }];
        }
        default:
          return [];
      }
    },
  };
}

function nameOf(ref: InspectedRef): string {
  if (typeof ref.src === 'string') return ref.src;
  return typeof ref.logic?.id === 'string' ? ref.logic.id : ref.id;
}

function stepOf(transition: StepSource): TransitionStep {
  return {
    source: transition.source.path.join('.'),
    targets: (transition.target ?? []).map((target) => target.path.join('.')),
    guard: guardName(transition.guard),
  };
}

function eventView(event: AnyEventObject, names: ReadonlyMap<string, string>): EventView {
  const { type, ...rest } = event;
  const outcome = /^xstate\.(done|error)\.actor\.(.+)$/.exec(type);
  // The actor id is already in the label.
  if (outcome !== null) delete rest.actorId;
  const data = safeView(rest) as Record<string, unknown>;
  return { type, label: eventLabel(type, outcome, names), data: Object.keys(data).length === 0 ? undefined : data };
}

function eventLabel(type: string, outcome: RegExpExecArray | null, names: ReadonlyMap<string, string>): string {
  if (type === 'xstate.init') return 'init';
  if (outcome !== null) return `${outcome[1]} ${names.get(outcome[2]!) ?? outcome[2]}`;
  const delay = /^xstate\.after\.([^.]+)\./.exec(type)?.[1];
  if (delay !== undefined) return `after ${/^\d+$/.test(delay) ? `${delay}ms` : delay}`;
  return type;
}

/** Sets a key, forgetting the oldest one beyond the cap. */
function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > TRACKED_ACTORS) map.delete(map.keys().next().value!);
}
