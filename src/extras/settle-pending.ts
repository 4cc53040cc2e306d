// Extra settlePendingOnClose: operations still pending when close() is called reject with
// InvalidStateError in the next task.
//
// webrtc-pc: each of these operations checks [[IsClosed]] when it resumes and then simply stops,
// so its promise never settles (Chromium 156, Firefox ESR 153, and WebKit, whose doClose() clears
// its operation queue). `await` chains and `finally` blocks in signalling code then never run.
// The legacy callback forms (createOffer(success, failure)) are passed through untouched.

import type { Concern } from '../context';

const OPERATIONS = ['createOffer', 'createAnswer', 'setLocalDescription', 'setRemoteDescription', 'addIceCandidate'];

export const settlePendingOnClose: Concern = ({ win, patch, registry, dispatcher }) => {
  const rejecters = new WeakMap<RTCPeerConnection, Set<(reason: unknown) => void>>();

  for (const name of OPERATIONS) {
    patch.method<(this: RTCPeerConnection, ...args: unknown[]) => unknown>(
      win.RTCPeerConnection.prototype,
      name,
      (original) =>
        function (this: RTCPeerConnection, ...args) {
          const result = original.apply(this, args);
          const state = registry.connection(this);
          if (!state || state.closed || !(result instanceof win.Promise) || args.some((a) => typeof a === 'function')) return result;
          const set = rejecters.get(this) || new Set();
          rejecters.set(this, set);
          return new win.Promise((resolve, reject) => {
            set.add(reject);
            (result as Promise<unknown>).then(resolve, reject).then(() => set.delete(reject));
          });
        },
    );
  }

  return {
    close(pc) {
      const set = rejecters.get(pc);
      if (!set || !set.size) return;
      rejecters.delete(pc);
      return () =>
        dispatcher.queueTask(() =>
          set.forEach((reject) =>
            reject(new win.DOMException('The RTCPeerConnection was closed before the operation completed', 'InvalidStateError')),
          ),
        );
    },
  };
};
