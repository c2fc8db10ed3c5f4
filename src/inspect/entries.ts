// The shapes the offline inspector records. Every value in them is a redacted copy (safe-view.ts).

/** `transition`: a machine's snapshot after an event; `actor`: an actor started or ended;
 * `emitted`: an event the machine emitted (`activation.secured`, `activation.failed`...); `event`: an event as an
 * actor received it (off by default: each machine transition already names its event). */
export type InspectorEntryKind = 'transition' | 'actor' | 'emitted' | 'event';

export interface InspectorEntryBase {
  /** Position in the recording; keeps counting when old entries are dropped. */
  readonly seq: number;
  /** Time stamp from the inspector's `now()`, in milliseconds. */
  readonly at: number;
  /** The actor's id in its system: `x:0` for the root, the invoke id for invoked actors. */
  readonly actorId: string;
  /** A readable name: the machine id, or the invoked actor's name (`fetchToken`). */
  readonly actor: string;
  /** The inspected system's root actor (the activation itself), not an actor it invoked. */
  readonly root: boolean;
}

export interface EventView {
  /** XState's event type, e.g. `SIGN_IN` or `xstate.done.actor.0.activation.fetchingToken`. */
  readonly type: string;
  /** A readable name: `SIGN_IN`, `init`, `done fetchToken`, `error activateTag`, `after tokenTtl`. */
  readonly label: string;
  /** The event's other fields, redacted and shortened; undefined when it has none. */
  readonly data: Readonly<Record<string, unknown>> | undefined;
}

/** One transition XState took within a step: state paths (`visitor.secured.activation.active`; '' is the root). */
export interface TransitionStep {
  readonly source: string;
  /** Empty for a targetless transition. */
  readonly targets: readonly string[];
  readonly guard: string | undefined;
}

export type SnapshotStatus = 'active' | 'done' | 'error' | 'stopped';

export interface TransitionEntry extends InspectorEntryBase {
  readonly kind: 'transition';
  readonly event: EventView;
  /** The state before, as `stateLabel` writes it; undefined for the actor's first snapshot. */
  readonly from: string | undefined;
  readonly to: string;
  /** False when the event left the state as it was (a targetless or absorbed transition). */
  readonly changed: boolean;
  /** The transitions taken, with their guards (XState's microsteps). */
  readonly steps: readonly TransitionStep[];
  readonly status: SnapshotStatus;
  /** A small redacted view of the machine's context after the step. */
  readonly context: unknown;
}

export interface ActorEntry extends InspectorEntryBase {
  readonly kind: 'actor';
  readonly lifecycle: 'started' | SnapshotStatus;
  readonly parentId: string | undefined;
  /** The redacted error, when the actor failed. */
  readonly error: unknown;
}

export interface EmittedEntry extends InspectorEntryBase {
  readonly kind: 'emitted';
  readonly event: EventView;
}

export interface ReceivedEventEntry extends InspectorEntryBase {
  readonly kind: 'event';
  readonly event: EventView;
  /** The sender's actor id; undefined for events sent from outside (the controller). */
  readonly sourceId: string | undefined;
}

export type InspectorEntry = TransitionEntry | ActorEntry | EmittedEntry | ReceivedEventEntry;

/** What `toJSON()` returns: enough to print the timeline again later (`formatTimeline`). */
export interface InspectorRecording {
  readonly limit: number;
  /** Entries dropped because the buffer was full. */
  readonly dropped: number;
  /** The time the first entry was recorded (since creation or `clear()`); `+0ms` in the timeline. */
  readonly origin: number | undefined;
  readonly entries: readonly InspectorEntry[];
}

type Unstamped<E> = E extends InspectorEntry ? Omit<E, 'seq' | 'at'> : never;
/** An entry before the inspector stamps it with `seq` and `at`. */
export type EntryDraft = Unstamped<InspectorEntry>;
