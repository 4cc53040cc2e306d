// Per-connection and per-channel state, held weakly: the shim never keeps a connection or a
// channel alive. A connection's channel set is emptied when it closes, and a channel leaves it as
// soon as it closes on its own. Each channel leads to its connection's state in one lookup (the
// message path, tracking.ts). The open connections can also be listed, for closing them all when
// the page goes away (concerns/unload.ts), through WeakRefs: where the engine has none (Safari
// before 14.1, Chrome 84, Firefox 79), the list is empty.

export interface ConnectionState {
  readonly pc: RTCPeerConnection;
  closed: boolean;
  /** Channels that may still be open: created here or received, not yet seen closing. */
  readonly channels: Set<RTCDataChannel>;
}

export interface Registry {
  connection(pc: RTCPeerConnection): ConnectionState | undefined;
  addConnection(pc: RTCPeerConnection): void;
  /** Marks a connection closed: it leaves the open list, and its channels are no longer its to close. */
  closeConnection(pc: RTCPeerConnection): void;
  /** The connections not closed yet and not collected. */
  open(): RTCPeerConnection[];
  /** The state of the connection that `dc` belongs to, if the shim knows the channel. */
  channel(dc: RTCDataChannel): ConnectionState | undefined;
  /** Registers a channel of `pc`, a connection the registry knows. */
  addChannel(dc: RTCDataChannel, pc: RTCPeerConnection): void;
  /** Drops a channel that closed by itself (dc.close(), remote close). */
  forgetChannel(dc: RTCDataChannel): void;
}

/** A connection's state with its place in the open list. */
interface Entry extends ConnectionState {
  ref?: WeakRef<RTCPeerConnection>;
}

export function createRegistry(): Registry {
  const connections = new WeakMap<RTCPeerConnection, Entry>();
  const channels = new WeakMap<RTCDataChannel, Entry>();
  const open = new Set<WeakRef<RTCPeerConnection>>();
  // Open connections are never collected in the engines measured (Chromium 156 keeps even a bare
  // one); one closed behind the shim's back (with a close() saved before install()) may be.
  const collected = typeof WeakRef === 'function' && new FinalizationRegistry<WeakRef<RTCPeerConnection>>((ref) => open.delete(ref));

  return {
    connection: (pc) => connections.get(pc),
    addConnection(pc) {
      const state: Entry = { pc, closed: false, channels: new Set() };
      connections.set(pc, state);
      if (collected) {
        open.add((state.ref = new WeakRef(pc)));
        collected.register(pc, state.ref);
      }
    },
    closeConnection(pc) {
      const state = connections.get(pc)!;
      state.closed = true;
      state.channels.clear();
      open.delete(state.ref!);
    },
    open: () => Array.from(open, (ref) => ref.deref()!).filter(Boolean),
    channel: (dc) => channels.get(dc),
    addChannel(dc, pc) {
      const state = connections.get(pc)!;
      channels.set(dc, state);
      if (!state.closed) state.channels.add(dc);
    },
    forgetChannel(dc) {
      channels.get(dc)!.channels.delete(dc);
    },
  };
}
