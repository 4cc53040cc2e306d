// Events the shim listens to and fires itself, and the task queue it fires them from.
//
// Both go through the engine's own EventTarget methods, read at install(): a page or
// webrtc-adapter may wrap them on RTCPeerConnection.prototype (adapter's Safari shim wraps
// addEventListener('datachannel'), calling listeners without `this` and dropping the options).

export interface Dispatcher {
  /** Adds `listener` for each of `types` at `target`, capturing; it is called with `this` = target. */
  listen<T extends EventTarget>(target: T, types: string[], listener: (this: T, event: Event) => void): void;
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
  const { addEventListener, dispatchEvent } = win.EventTarget.prototype;
  const pending: Array<() => void> = [];
  // A message task is not throttled in background tabs the way setTimeout is.
  const channel = new win.MessageChannel();
  channel.port1.onmessage = () => {
    // Tasks queued while these run go to the next turn, like the engine's own queue.
    for (const task of pending.splice(0)) task();
  };

  return {
    listen(target, types, listener) {
      for (const type of types) addEventListener.call(target, type, listener as EventListener, true);
    },
    queueTask(task) {
      if (pending.push(task) === 1) channel.port2.postMessage(0);
    },
    fire(target, event) {
      const e = typeof event === 'string' ? new win.Event(event) : event;
      own.add(e);
      dispatchEvent.call(target, e);
    },
    isOwn: (event) => own.has(event),
  };
}
