// Extra recoverConnectionLimit: retry a constructor that failed at Chromium's connection limit.
//
// Chromium counts every RTCPeerConnection against a limit of 500 until the garbage collector
// destroys it, closed or not: a page that creates and closes connections in a loop, dropping each,
// gets "UnknownError: Cannot create so many PeerConnections" from the 500th on. When the
// constructor fails that way, this allocates 256 MB of short-lived ArrayBuffers, which makes the
// engine collect, and tries again, up to four times; closed connections nobody references are then
// freed and the constructor succeeds. A collection forced from inside a task does not always free
// the slots (in some runs, natively too, none were freed until the task ended), so after one failed
// recovery it does not try again before the next task: a loop at the limit gets the error at once
// instead of a slowdown of seconds. The error it then throws says what to do. Without this extra,
// the engine's own error reaches the page unchanged. Measured: docs/connection-limit.md.
// Firefox ESR 153 has no such limit, so this never runs there.

import type { Concern } from '../context';

const RETRIES = 4;
const NUDGE_BUFFERS = 32;
const NUDGE_BUFFER_BYTES = 0x800000; // 8 MB, a literal so that bundlers see no side effect

export const recoverConnectionLimit: Concern = ({ win, dispatcher }) => {
  let gaveUpThisTask = false;
  const isLimitError = (error: unknown): error is DOMException => error instanceof win.DOMException && error.name === 'UnknownError';

  return {
    constructFailed(error, retry) {
      if (!isLimitError(error)) throw error;
      for (let attempt = 0; attempt < RETRIES && !gaveUpThisTask; attempt++) {
        // Short-lived allocations large enough to make the engine collect.
        for (let i = 0; i < NUDGE_BUFFERS; i++) new win.ArrayBuffer(NUDGE_BUFFER_BYTES);
        try {
          return retry();
        } catch (again) {
          if (!isLimitError(again)) throw again;
        }
      }
      if (!gaveUpThisTask) {
        gaveUpThisTask = true;
        dispatcher.queueTask(() => {
          gaveUpThisTask = false;
        });
      }
      throw new win.DOMException(
        `${error.message} (webrtc-close-shim: closed connections are still referenced: drop them, or use the releaseHandlers extra)`,
        error.name,
      );
    },
  };
};
