// Events the shim listens to and fires itself, and the task queue it fires them from.
//
// Both go through the engine's own EventTarget methods, read at install(): a page or
// webrtc-adapter may wrap them on RTCPeerConnection.prototype (adapter's Safari shim wraps
// addEventListener('datachannel'), calling listeners without `this` and dropping the options).

export interface Dispatcher {
  /** Adds `listener` for each of `types` at `target`, capturing unless told; it is called with `this` = target. */
  listen<T extends EventTarget>(target: T, types: string[], listener: (this: T, event: Event) => void, capture?: boolean): void;
  /** Removes what listen() added. */
  unlisten<T extends EventTarget>(target: T, types: string[], listener: (this: T, event: Event) => void, capture?: boolean): void;
  /** Runs `task` in a later task of the window's event loop (never synchronously). */
  queueTask(task: () => void): void;
  /** Runs the queued tasks, and those they queue, now: for a page about to be frozen. */
  flush(): void;
  /**
   * Dispatches `event` (a plain Event when given a type) at `target`, marked as the shim's own.
   * A listener's exception is reported by the engine (window "error") as usual, and the other
   * listeners and targets still get their events.
   */
  fire(target: EventTarget, event: Event | string): void;
  /** Whether `event` was fired by the shim, so guards can tell ours from the engine's. */
  isOwn(event: Event): boolean;
  /** Reports `error` as the engine reports a listener's exception (the window's `error` event), without throwing. */
  report(error: unknown): void;
}

export function createDispatcher(win: typeof globalThis): Dispatcher {
  const own = new WeakSet<Event>();
  const { addEventListener, removeEventListener, dispatchEvent } = win.EventTarget.prototype;
  const pending: Array<() => void> = [];
  // A message task is not throttled in background tabs the way setTimeout is.
  const channel = new win.MessageChannel();
  // Tasks queued while these run go to the next turn, like the engine's own queue.
  const run = () => pending.splice(0).forEach((task) => task());
  channel.port1.onmessage = run;

  return {
    listen(target, types, listener, capture = true) {
      for (const type of types) addEventListener.call(target, type, listener as EventListener, capture);
    },
    unlisten(target, types, listener, capture = true) {
      for (const type of types) removeEventListener.call(target, type, listener as EventListener, capture);
    },
    queueTask(task) {
      if (pending.push(task) === 1) channel.port2.postMessage(0);
    },
    flush() {
      while (pending.length) run();
    },
    fire(target, event) {
      const e = typeof event === 'string' ? new win.Event(event) : event;
      own.add(e);
      dispatchEvent.call(target, e);
    },
    isOwn: (event) => own.has(event),
    // reportError() since Chrome 95, Firefox 93, Safari 15.4; before, an exception thrown from a timer.
    report: (error) =>
      win.reportError
        ? win.reportError(error)
        : win.setTimeout(() => {
            throw error;
          }),
  };
}
