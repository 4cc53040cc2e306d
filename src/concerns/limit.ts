// Connection-limit recovery and diagnostics.
//
// Chromium counts every RTCPeerConnection against a limit of 500 until the garbage collector
// destroys it, closed or not: a page that creates and closes connections in a loop, dropping each,
// gets "UnknownError: Cannot create so many PeerConnections" from the 500th on (measured in
// Chromium 156: 1,000 of 1,500 constructions failed). When the constructor fails that way, the
// shim allocates 256 MB of short-lived ArrayBuffers, which makes the engine collect, and tries
// again, up to four times (two were not always enough: 18 of 1,200 cycles still failed); closed
// connections nobody references are freed and the constructor succeeds. If it still fails, the
// connections are still referenced (or open): the shim throws an UnknownError saying how many
// closed connections are not known to be collected and what to do. A collection forced from
// inside a task does not always free the slots (in some runs, natively too, none were freed until
// the task ended), so after one failed recovery the shim does not try again before the next task:
// a page looping at the limit gets the error at once instead of a slowdown of seconds.
// Measured (npm run bench:churn): this turns 1,500 failures in 2,000 cycles into about 100 when
// the page yields between cycles, but not into zero; nudging every 200 closes did no better.
// Firefox ESR 153 has no such limit, so this never runs there.
//
// Diagnostics: counts of the connections seen, closed, and closed but not yet collected (through a
// FinalizationRegistry, where the engine has one), for stats().

import type { Concern } from '../context';

/** What {@link stats} returns: counts of the connections the installed shim has seen, for hunting leaks. */
export interface Stats {
  /** Connections constructed (or first seen) since install(). */
  connections: number;
  /** Of those, not closed and not collected. */
  open: number;
  /** Of those, closed with close(). */
  closed: number;
  /** Closed connections not yet garbage-collected: still referenced, or not collected yet. Null without FinalizationRegistry. */
  closedUncollected: number | null;
}

const RETRIES = 4;
const NUDGE_BUFFERS = 32;
const NUDGE_BUFFER_BYTES = 0x800000; // 8 MB, a literal so that bundlers see no side effect

export const limit: Concern = ({ win, dispatcher }) => {
  const counts = { connections: 0, closed: 0, collectedOpen: 0, collectedClosed: 0 };
  /** Per connection, a token with no reference back to it, as the finalizer's held value. */
  const tokens = new WeakMap<RTCPeerConnection, { closed: boolean }>();
  const finalization =
    typeof win.FinalizationRegistry === 'function'
      ? new win.FinalizationRegistry<{ closed: boolean }>((token) => {
          if (token.closed) counts.collectedClosed++;
          else counts.collectedOpen++;
        })
      : undefined;

  let gaveUpThisTask = false;

  /** Short-lived allocations large enough to make the engine collect. */
  function nudgeCollection(): void {
    for (let i = 0; i < NUDGE_BUFFERS; i++) new win.ArrayBuffer(NUDGE_BUFFER_BYTES);
  }

  function isLimitError(error: unknown): error is DOMException {
    return error instanceof win.DOMException && error.name === 'UnknownError';
  }

  function stats(): Stats {
    const { connections, closed, collectedOpen, collectedClosed } = counts;
    return {
      connections,
      open: connections - closed - collectedOpen,
      closed,
      closedUncollected: finalization ? closed - collectedClosed : null,
    };
  }

  return {
    connection(pc) {
      const token = { closed: false };
      tokens.set(pc, token);
      counts.connections++;
      if (finalization) finalization.register(pc, token);
    },
    close(pc) {
      const token = tokens.get(pc);
      if (token) token.closed = true;
      counts.closed++;
    },
    constructFailed(error, retry) {
      if (!isLimitError(error)) throw error;
      for (let attempt = 0; attempt < RETRIES && !gaveUpThisTask; attempt++) {
        nudgeCollection();
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
      const { closedUncollected } = stats();
      throw new win.DOMException(
        `${error.message} (webrtc-close-shim: ${closedUncollected === null ? 'closed connections' : `${closedUncollected} closed connection(s)`} ` +
          'still referenced: drop references to closed connections, or install with releaseHandlers: true)',
        error.name,
      );
    },
    stats,
  };
};
