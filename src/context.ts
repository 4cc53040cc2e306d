// What the installer hands to each concern, and what a concern hands back.

import type { Dispatcher } from './lib/dispatch';
import type { Patcher } from './lib/define';
import type { Registry } from './registry';

export interface ShimContext {
  readonly win: typeof globalThis;
  readonly registry: Registry;
  readonly patch: Patcher;
  readonly dispatcher: Dispatcher;
}

/**
 * What getSenders(), getReceivers() and getTransceivers() return, read once before the engine's
 * close() changes them (getTransceivers() is [] in older engines that lack it).
 */
export interface BeforeClose {
  readonly getSenders: RTCRtpSender[];
  readonly getReceivers: RTCRtpReceiver[];
  readonly getTransceivers: RTCRtpTransceiver[];
}

/**
 * Calls a concern receives. Each runs before any code of the page sees the object or the event in
 * question. Events reach the concerns through one listener per event type per object
 * (tracking.ts), in the order of the concerns; one that returns true stops the event there.
 */
export interface Hooks {
  /** A connection was constructed. */
  connection?(pc: RTCPeerConnection): void;
  /** An event at a connection: return true to stop it. */
  connectionEvent?(pc: RTCPeerConnection, event: Event): boolean | void;
  /**
   * An event at a channel: return true to stop it. Every type comes always but `message`, which
   * comes only once the connection is closed.
   */
  channelEvent?(dc: RTCDataChannel, event: Event, pc: RTCPeerConnection): boolean | void;
  /**
   * `pc.close()` was called on an open connection. Runs before the engine's close(), to read what
   * close() is about to change; the function it returns runs right after the engine's close().
   * Also for a connection the engine closed behind the shim's back, once the shim learns of it
   * (tracking.ts): then the engine's close() has run already, and `signalingState` reads "closed".
   */
  close?(pc: RTCPeerConnection, before: BeforeClose): (() => void) | void;
  /** The window's `pagehide`: return true to have every open connection of the window closed. */
  pagehide?(event: PageTransitionEvent): boolean | void;
  /**
   * The document's `freeze` (Chromium, a page entering the back/forward cache), after the shim ran
   * what it had queued: return true to have the connections opened since closed too.
   */
  freeze?(): boolean | void;
  /** The engine's constructor threw `error`: return a connection from `retry()`, or throw. */
  constructFailed?(error: unknown, retry: () => RTCPeerConnection): RTCPeerConnection;
}

/** One aspect of close(): patches what it needs through `ctx.patch` and returns its hooks. */
export type Concern = (ctx: ShimContext) => Hooks;
