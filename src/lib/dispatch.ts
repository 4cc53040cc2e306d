// Events the shim fires itself, and the task queue it fires them from.

export interface Dispatcher {
  /** Runs `task` in a later task of the window's event loop (never synchronously). */
  queueTask(task: () => void): void;
  /** Fires a plain `type` event at `target`; listener errors are reported by the engine as usual. */
  fire(target: EventTarget, type: string): void;
  /** Dispatches `event` at `target`, marked as the shim's own. */
  dispatch(target: EventTarget, event: Event): void;
  /** Whether `event` was fired by the shim, so guards can tell ours from the engine's. */
  isOwn(event: Event): boolean;
}

export function createDispatcher(win: typeof globalThis): Dispatcher {
  const own = new WeakSet<Event>();
  const dispatch = win.EventTarget.prototype.dispatchEvent;
  const pending: Array<() => void> = [];
  let port: MessagePort | undefined;

  function runPending(): void {
    // Tasks queued while these run go to the next turn, like the engine's own queue.
    for (const task of pending.splice(0)) task();
  }

  function dispatchOwn(target: EventTarget, event: Event): void {
    own.add(event);
    // dispatchEvent reports an exception thrown by a listener (window "error") and returns;
    // the other listeners and the other targets still get their events.
    dispatch.call(target, event);
  }

  return {
    queueTask(task) {
      pending.push(task);
      if (pending.length > 1) return;
      // A message task is not throttled in background tabs the way setTimeout is.
      if (!port && typeof win.MessageChannel === 'function') {
        const channel = new win.MessageChannel();
        channel.port1.onmessage = runPending;
        port = channel.port2;
      }
      if (port) port.postMessage(undefined);
      else win.setTimeout(runPending, 0);
    },
    fire(target, type) {
      dispatchOwn(target, new win.Event(type));
    },
    dispatch: dispatchOwn,
    isOwn(event) {
      return own.has(event);
    },
  };
}
