// What the installer hands to each concern, and what a concern hands back.

import type { Dispatcher } from './lib/dispatch';
import type { Patcher } from './lib/define';
import type { Stats } from './concerns/limit';
import type { Registry } from './registry';

export interface ShimContext {
  readonly win: typeof globalThis;
  readonly registry: Registry;
  readonly patch: Patcher;
  readonly dispatcher: Dispatcher;
  readonly options: Readonly<Partial<ShimOptions>>;
}

/** Behaviour beyond the spec, each off by default (see README, "Options"). */
export interface ShimOptions {
  /** Operations pending at close() reject with InvalidStateError in the next task. */
  settlePendingOnClose: boolean;
  /** close() stops the local tracks its senders were sending, unless another open connection sends them. */
  stopTracksOnClose: boolean;
  /** Once a closed connection's close events are delivered, its and its channels' on… handlers are cleared. */
  releaseHandlers: boolean;
}

/** What getSenders() and getReceivers() return, read once before the engine's close() changes it. */
export interface BeforeClose {
  readonly getSenders: RTCRtpSender[];
  readonly getReceivers: RTCRtpReceiver[];
}

/** Calls a concern receives. Each runs before any code of the page sees the object in question. */
export interface Hooks {
  /** A connection was constructed; listeners added here run before the page's. */
  connection?(pc: RTCPeerConnection): void;
  /** A channel was created or received; listeners added here run before the page's. */
  channel?(dc: RTCDataChannel, pc: RTCPeerConnection): void;
  /**
   * `pc.close()` was called on an open connection. Runs before the engine's close(), to read what
   * close() is about to change; the function it returns runs right after the engine's close().
   */
  close?(pc: RTCPeerConnection, before: BeforeClose): (() => void) | void;
  /** The engine's constructor threw `error`: return a connection from `retry()`, or throw. */
  constructFailed?(error: unknown, retry: () => RTCPeerConnection): RTCPeerConnection;
  /** Diagnostics for stats(). */
  stats?(): Stats;
}

/** One aspect of close(): patches what it needs through `ctx.patch` and returns its hooks. */
export type Concern = (ctx: ShimContext) => Hooks;
