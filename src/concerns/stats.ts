// Diagnostics for stats(): counts of the connections seen, closed, and closed but not yet collected
// (through a FinalizationRegistry, where the engine has one). Holds nothing strongly: the
// finalizer's token has no reference back to its connection.

import type { Concern, Hooks } from '../context';

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

export const stats: (...args: Parameters<Concern>) => Hooks & { stats(): Stats } = ({ win }) => {
  const counts = { connections: 0, closed: 0, collectedOpen: 0, collectedClosed: 0 };
  const tokens = new WeakMap<RTCPeerConnection, { closed: boolean }>();
  const finalization =
    win.FinalizationRegistry &&
    new win.FinalizationRegistry<{ closed: boolean }>((token) => {
      if (token.closed) counts.collectedClosed++;
      else counts.collectedOpen++;
    });

  return {
    connection(pc) {
      const token = { closed: false };
      tokens.set(pc, token);
      counts.connections++;
      if (finalization) finalization.register(pc, token);
    },
    close(pc) {
      tokens.get(pc)!.closed = true;
      counts.closed++;
    },
    stats() {
      const { connections, closed, collectedOpen, collectedClosed } = counts;
      return {
        connections,
        open: connections - closed - collectedOpen,
        closed,
        closedUncollected: finalization ? closed - collectedClosed : null,
      };
    },
  };
};
