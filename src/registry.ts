// Per-connection and per-channel state, held weakly: the shim never keeps a connection or a
// channel alive. A connection's channel set is emptied when it closes, and a channel leaves it as
// soon as it closes on its own. The open connections can also be listed, for closing them all when
// the page goes away (concerns/unload.ts), through WeakRefs: where the engine has none (Safari
// before 14.1, Chrome 84, Firefox 79), the list is empty.

export interface ConnectionState {
  closed: boolean;
  /** Channels that may still be open: created here or received, not yet seen closing. */
  readonly channels: Set<RTCDataChannel>;
}

export interface Registry {
  connection(pc: RTCPeerConnection): ConnectionState | undefined;
  addConnection(pc: RTCPeerConnection): ConnectionState;
  /** Marks a connection closed: it leaves the open list, and its channels are no longer its to close. */
  closeConnection(pc: RTCPeerConnection): void;
  /** The connections not closed yet and not collected. */
  open(): RTCPeerConnection[];
  addChannel(dc: RTCDataChannel, pc: RTCPeerConnection): void;
  /** Drops a channel that closed by itself (dc.close(), remote close). */
  forgetChannel(dc: RTCDataChannel): void;
  owner(dc: RTCDataChannel): RTCPeerConnection | undefined;
}

/** A connection's state with its place in the open list. */
interface Entry extends ConnectionState {
  ref?: WeakRef<RTCPeerConnection>;
}

export function createRegistry(): Registry {
  const connections = new WeakMap<RTCPeerConnection, Entry>();
  const owners = new WeakMap<RTCDataChannel, RTCPeerConnection>();
  const open = new Set<WeakRef<RTCPeerConnection>>();
  // Open connections are never collected in the engines measured (Chromium 156 keeps even a bare
  // one); one closed behind the shim's back (with a close() saved before install()) may be.
  const collected = typeof WeakRef === 'function' && new FinalizationRegistry<WeakRef<RTCPeerConnection>>((ref) => open.delete(ref));

  return {
    connection: (pc) => connections.get(pc),
    addConnection(pc) {
      const state: Entry = { closed: false, channels: new Set() };
      connections.set(pc, state);
      if (collected) {
        open.add((state.ref = new WeakRef(pc)));
        collected.register(pc, state.ref);
      }
      return state;
    },
    closeConnection(pc) {
      const state = connections.get(pc)!;
      state.closed = true;
      state.channels.clear();
      open.delete(state.ref!);
    },
    open: () => Array.from(open, (ref) => ref.deref()!).filter(Boolean),
    addChannel(dc, pc) {
      owners.set(dc, pc);
      const state = connections.get(pc);
      if (state && !state.closed) state.channels.add(dc);
    },
    forgetChannel(dc) {
      const pc = owners.get(dc);
      const state = pc && connections.get(pc);
      if (state) state.channels.delete(dc);
    },
    owner: (dc) => owners.get(dc),
  };
}
