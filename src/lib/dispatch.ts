// Events the shim fires itself, and the task queue it fires them from.

export interface Dispatcher {
  /** Runs `task` in a later task of the window's event loop (never synchronously). */
  queueTask(task: () => void): void;
  /**
   * Dispatches `event` (a plain Event when given a type) at `target`, marked as the shim's own.
   * A listener's exception is reported by the engine (window "error") as usual, and the other
   * listeners and targets still get their events.
   */
  fire(target: EventTarget, event: Event | string): void;
  /** Whether `event` was fired by the shim, so guards can tell ours from the engine's. */
  isOwn(event: Event): boolean;
}

export function createDispatcher(win: typeof globalThis): Dispatcher {
  const own = new WeakSet<Event>();
  const dispatch = win.EventTarget.prototype.dispatchEvent;
  const pending: Array<() => void> = [];
  // A message task is not throttled in background tabs the way setTimeout is.
  const channel = new win.MessageChannel();
  channel.port1.onmessage = () => {
    // Tasks queued while these run go to the next turn, like the engine's own queue.
    for (const task of pending.splice(0)) task();
  };

  return {
    queueTask(task) {
      if (pending.push(task) === 1) channel.port2.postMessage(0);
    },
    fire(target, event) {
      const e = typeof event === 'string' ? new win.Event(event) : event;
      own.add(e);
      dispatch.call(target, e);
    },
    isOwn: (event) => own.has(event),
  };
}
