// Extra endFailedConnections: end a connection whose other peer is gone.
//
// A peer that vanishes (a tab closed without a goodbye, a laptop asleep, a server process killed)
// sends nothing more: ICE consent checks go unanswered and connectionState becomes "disconnected",
// then "failed" (Chromium 156: after about 6 s and 16 s; Firefox ESR 153: 10 s and 30 s; measured
// by tests/far.spec.ts). webrtc-pc keeps the DTLS transport, the SCTP association and their data
// channels open through an ICE failure, since an ICE restart may bring them back: in Chromium the
// channels stay "open" for good. This extra ends such a connection the way the core ends a remote
// abort, and then closes it: each channel not yet closed fires `closing` (unless it has), `error`
// (errorDetail "sctp-failure", naming the state) and one `close` (lib/announce.ts); then
// pc.close(), so states read "closed", receiver tracks end and closed(pc) resolves.
//
// It acts in a task queued after the `failed` event, so the page's own handlers for that event
// run first, or, with `disconnectedMs`, once the connection has been "disconnected" (or "failed")
// that long. An ICE restart the page starts while the connection is failing (restartIce(), or
// createOffer({ iceRestart: true })) holds it off until the connection fails again: the page has
// taken the recovery over. It reads the connection's state events, which the shim's listener sees
// anyway: no listener and no cost per call are added beyond the two restart methods.

import type { Concern } from '../context';
import { announce } from '../lib/announce';
import { typeError } from '../lib/type-error';

/** Options of {@link endFailedConnections}. */
export interface EndFailedConnectionsOptions {
  /**
   * Also end a connection once it has been `disconnected` (or `failed`) for this many
   * milliseconds, sooner than the engine declares it `failed`. A finite number from 0 to
   * 2147483647 (`setTimeout`'s limit). Default: only `failed` ends a connection.
   */
  disconnectedMs?: number;
}

/** The options, checked: anything but `{ disconnectedMs?: number }` in range is a TypeError. */
export function checkOptions(options: unknown): EndFailedConnectionsOptions {
  const { disconnectedMs } = (options || {}) as EndFailedConnectionsOptions;
  if (
    options === null ||
    (options !== undefined && (typeof options !== 'object' || Object.keys(options).some((key) => key !== 'disconnectedMs'))) ||
    (disconnectedMs !== undefined && !(typeof disconnectedMs === 'number' && disconnectedMs >= 0 && disconnectedMs <= 0x7fffffff))
  ) {
    throw typeError(
      `endFailedConnections() takes { disconnectedMs } with a number of milliseconds from 0 to 2147483647, got ${options && typeof options === 'object' ? JSON.stringify(options) : String(options)}`,
    );
  }
  return { disconnectedMs };
}

export const endFailed =
  ({ disconnectedMs }: EndFailedConnectionsOptions): Concern =>
  (ctx) => {
    const { win, registry, patch, dispatcher } = ctx;
    const proto = win.RTCPeerConnection.prototype;
    /** Connections whose page started an ICE restart while they were failing. */
    const restarting = new WeakSet<RTCPeerConnection>();
    const timers = new WeakMap<RTCPeerConnection, ReturnType<typeof win.setTimeout>>();
    /** Channels this extra ended: the engine's own `close` for them, later, is stopped. */
    const ended = new WeakSet<RTCDataChannel>();
    // Older engines have no connectionState; their iceConnectionState has the same two states.
    const stateOf = (pc: RTCPeerConnection) => pc.connectionState || pc.iceConnectionState;
    const failing = (state: string) => /^(disconnected|failed)$/.test(state);

    function restarted(pc: RTCPeerConnection): void {
      if (failing(stateOf(pc))) restarting.add(pc);
    }
    // Engines before restartIce() (Chrome 77, Firefox 70, Safari 14.1) restart with createOffer().
    if ((proto as Partial<RTCPeerConnection>).restartIce) {
      patch.method<RTCPeerConnection['restartIce']>(
        proto,
        'restartIce',
        (original) =>
          function (this: RTCPeerConnection) {
            restarted(this);
            return original.call(this);
          },
      );
    }
    patch.method<(this: RTCPeerConnection, ...args: unknown[]) => unknown>(
      proto,
      'createOffer',
      (original) =>
        function (this: RTCPeerConnection, ...args) {
          // Options come first, or third after the legacy callbacks.
          if (args.some((arg) => arg && (arg as RTCOfferOptions).iceRestart)) restarted(this);
          return original.apply(this, args);
        },
    );

    function stopTimer(pc: RTCPeerConnection): void {
      win.clearTimeout(timers.get(pc));
      timers.delete(pc);
    }

    function end(pc: RTCPeerConnection, why: string): void {
      const state = registry.connection(pc)!;
      if (state.closed || restarting.has(pc) || !failing(stateOf(pc))) return;
      // Channels whose close event has not come yet (the registry drops a channel at its close).
      for (const dc of Array.from(state.channels)) {
        // A handler of the page closed the connection: the core closes the rest.
        if (state.closed) break;
        // Out of the registry first: should a handler close the connection now, this channel's
        // one close is still the one fired here.
        registry.forgetChannel(dc);
        ended.add(dc);
        announce(ctx, dc, dc.readyState !== 'closing', `${why} (endFailedConnections)`);
        dispatcher.fire(dc, 'close');
      }
      pc.close();
    }

    return {
      connectionEvent(pc, event) {
        if (!/^(ice)?connectionstatechange$/.test(event.type)) return;
        const state = stateOf(pc);
        if (!failing(state)) restarting.delete(pc);
        if (state !== 'disconnected') stopTimer(pc);
        if (state === 'failed') dispatcher.queueTask(() => end(pc, 'connection failed'));
        else if (state === 'disconnected' && disconnectedMs !== undefined && !timers.has(pc)) {
          timers.set(
            pc,
            win.setTimeout(() => {
              timers.delete(pc);
              end(pc, `connection ${stateOf(pc)} for ${disconnectedMs} ms`);
            }, disconnectedMs),
          );
        }
      },
      channelEvent(dc, event) {
        // The engine's own close for a channel ended here, after pc.close().
        return event.type === 'close' && ended.has(dc) && !dispatcher.isOwn(event);
      },
      close(pc) {
        stopTimer(pc);
      },
    };
  };
