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
  // Kept as they are reported: each event moves a connection from one count to another.
  const counts: Stats = { connections: 0, open: 0, closed: 0, closedUncollected: 0 };
  const tokens = new WeakMap<RTCPeerConnection, { closed: boolean }>();
  const finalization =
    win.FinalizationRegistry &&
    new win.FinalizationRegistry<{ closed: boolean }>((token) => {
      if (token.closed) counts.closedUncollected!--;
      else counts.open--;
    });

  return {
    connection(pc) {
      const token = { closed: false };
      tokens.set(pc, token);
      counts.connections++;
      counts.open++;
      if (finalization) finalization.register(pc, token);
    },
    close(pc) {
      tokens.get(pc)!.closed = true;
      counts.open--;
      counts.closed++;
      counts.closedUncollected!++;
    },
    stats: () => Object.assign({}, counts, finalization ? {} : { closedUncollected: null }),
  };
};
