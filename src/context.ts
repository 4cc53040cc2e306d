// What the installer hands to each concern, and what a concern hands back.

import type { Dispatcher } from './lib/dispatch';
import type { Patcher } from './lib/define';
import type { Registry } from './registry';

export interface ShimContext {
  readonly win: typeof globalThis;
  readonly registry: Registry;
  readonly patch: Patcher;
  readonly dispatcher: Dispatcher;
  /** The engine's own `readyState` getter, as it was before any concern patched it. */
  nativeReadyState(dc: RTCDataChannel): RTCDataChannelState;
}

/** Calls a concern receives. Each runs before any code of the page sees the object in question. */
export interface Hooks {
  /** A connection was constructed; listeners added here run before the page's. */
  connection?(pc: RTCPeerConnection): void;
  /** A channel was created or received; listeners added here run before the page's. */
  channel?(dc: RTCDataChannel, pc: RTCPeerConnection): void;
  /** The engine's `close()` just returned; `channels` were not `closed` right before it. */
  closed?(pc: RTCPeerConnection, channels: RTCDataChannel[]): void;
}

/** One aspect of close(): patches what it needs through `ctx.patch` and returns its hooks. */
export type Concern = (ctx: ShimContext) => Hooks;
