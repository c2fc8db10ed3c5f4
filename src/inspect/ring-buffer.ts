// A bounded first-in-first-out store: the inspector can stay attached for a whole session
// without growing; the oldest entries go first and are counted.

export interface RingBuffer<T> {
  push(item: T): void;
  /** The kept items, oldest first. */
  items(): T[];
  clear(): void;
  /** How many items were pushed out since creation or the last clear(). */
  readonly dropped: number;
  readonly capacity: number;
}

/** `capacity` must be a positive integer (the caller validates it). */
export function createRingBuffer<T>(capacity: number): RingBuffer<T> {
  let slots: T[] = [];
  let start = 0;
  let dropped = 0;
  return {
    capacity,
    get dropped() {
      return dropped;
    },
    push(item) {
      if (slots.length < capacity) {
        slots.push(item);
        return;
      }
      slots[start] = item;
      start = (start + 1) % capacity;
      dropped += 1;
    },
    items: () => [...slots.slice(start), ...slots.slice(0, start)],
    clear() {
      slots = [];
      start = 0;
      dropped = 0;
    },
  };
}
