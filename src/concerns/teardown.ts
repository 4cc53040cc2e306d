// closed(pc): a promise for the end of a connection's teardown.
//
// It resolves once pc.close() has run and every channel of the connection has had its one `close`
// event (channels.ts fires them, or lets the engine's through, all within the task queued by
// close()), in a task after the last of them, so code after `await closed(pc)` sees the page
// listeners done. Channels transferred to a worker count once the worker's shim has acknowledged
// their `close` (workers.ts). Receiver tracks read "ended" by then (tracks.ts). Only resolvers are kept, per
// connection in a WeakMap: nothing here keeps a connection alive.

import type { Concern, Hooks } from '../context';
import { typeError } from '../lib/type-error';

export type Teardown = Hooks & { closed(pc: RTCPeerConnection): Promise<void> };

export const teardown = (
  { registry, dispatcher }: Parameters<Concern>[0],
  /** The acknowledgements of the channels transferred to workers (workers.ts), if any. */
  settled: (pc: RTCPeerConnection) => Promise<unknown> | undefined,
): Teardown => {
  const waiting = new WeakMap<RTCPeerConnection, Array<() => void>>();
  const done = new WeakSet<RTCPeerConnection>();

  return {
    closed: (pc) =>
      new Promise((resolve, reject) => {
        if (!registry.connection(pc)) {
          const what =
            Object.prototype.toString.call(pc) === '[object RTCPeerConnection]'
              ? 'a connection it does not know (made before install() or in another realm)'
              : String(pc);
          return reject(typeError(`closed() takes a connection the shim knows, got ${what}`));
        }
        if (done.has(pc)) return dispatcher.queueTask(resolve);
        const list = waiting.get(pc) || [];
        waiting.set(pc, list);
        list.push(resolve);
      }),
    // Queued after the channels' task (concerns run in order), and resolving in the task after it.
    close(pc) {
      const resolve = () => {
        done.add(pc);
        (waiting.get(pc) || []).forEach((resolve) => resolve());
        waiting.delete(pc);
      };
      const moved = settled(pc);
      dispatcher.queueTask(() => dispatcher.queueTask(() => (moved ? moved.then(() => dispatcher.queueTask(resolve)) : resolve())));
    },
  };
};
