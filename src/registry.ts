// Per-connection and per-channel state, held weakly: the shim never keeps a connection or a
// channel alive. A connection's channel set is emptied when it closes, and a channel leaves it as
// soon as it closes on its own.

export interface ConnectionState {
  closed: boolean;
  /** Channels that may still be open: created here or received, not yet seen closing. */
  readonly channels: Set<RTCDataChannel>;
}

export interface Registry {
  connection(pc: RTCPeerConnection): ConnectionState | undefined;
  addConnection(pc: RTCPeerConnection): ConnectionState;
  addChannel(dc: RTCDataChannel, pc: RTCPeerConnection): void;
  /** Drops a channel that closed by itself (dc.close(), remote close). */
  forgetChannel(dc: RTCDataChannel): void;
  owner(dc: RTCDataChannel): RTCPeerConnection | undefined;
}

export function createRegistry(): Registry {
  const connections = new WeakMap<RTCPeerConnection, ConnectionState>();
  const owners = new WeakMap<RTCDataChannel, RTCPeerConnection>();

  return {
    connection: (pc) => connections.get(pc),
    addConnection(pc) {
      const state: ConnectionState = { closed: false, channels: new Set() };
      connections.set(pc, state);
      return state;
    },
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
