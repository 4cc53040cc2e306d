// The extras, each behaviour beyond the contract, off unless passed to install({ extras }).
import type { Extra } from '../install';
import { brand } from '../lib/extra';
import { closeOnPagehide as closeOnHide } from './close-on-pagehide';
import { recoverConnectionLimit as recover } from './connection-limit';
import { checkOptions, endFailed, type EndFailedConnectionsOptions } from './end-failed';
import { releaseHandlers as release } from './release-handlers';
import { settlePendingOnClose as settle } from './settle-pending';
import { stopTracksOnClose as stop } from './stop-tracks';

/**
 * Operations (`createOffer`, `createAnswer`, `setLocalDescription`, `setRemoteDescription`,
 * `addIceCandidate`) still pending at `close()` reject with an `InvalidStateError` `DOMException`
 * in the next task; natively they never settle. Legacy callback forms are left alone.
 */
export const settlePendingOnClose: Extra = /* @__PURE__ */ brand(settle);
/** `close()` stops the local tracks its senders were sending, unless another open connection still sends the same track. */
export const stopTracksOnClose: Extra = /* @__PURE__ */ brand(stop);
/**
 * Once a closed connection's close events are delivered, the `on…` handler attributes of the
 * connection and its channels are set to `null`, so objects they capture can be collected.
 */
export const releaseHandlers: Extra = /* @__PURE__ */ brand(release);
/**
 * When Chromium's constructor fails at its limit of 500 connections, forces a garbage collection
 * (short-lived buffers) and retries, up to four times, at most once per task; then throws an
 * `UnknownError` that says what to do. Without it, the engine's own error reaches the page unchanged.
 */
export const recoverConnectionLimit: Extra = /* @__PURE__ */ brand(recover);
/**
 * Ends a connection whose other peer is gone: once `connectionState` is `failed` (and, with
 * `{ disconnectedMs }`, once it has been `disconnected` that long), each channel not yet closed
 * fires `closing`, an `error` (`OperationError`, `sctp-failure`, naming the state) and one `close`,
 * and the connection is closed. Natively Chromium leaves such channels `open` for good. An ICE
 * restart the page starts while the connection is failing holds it off. Pass it as is, or called
 * with options: `install({ extras: [endFailedConnections({ disconnectedMs: 5000 })] })`.
 *
 * @throws TypeError, when called, for options that are not `{ disconnectedMs?: number }` with a
 *   number of milliseconds from 0 to 2147483647.
 */
export const endFailedConnections = /* @__PURE__ */ brand(function endFailedConnections(options?: unknown) {
  // install() calls an extra with the shim's context; a page calls this one with options.
  const fromInstall = !!options && typeof options === 'object' && 'dispatcher' in options;
  return fromInstall ? endFailed({})(options as never) : brand(endFailed(checkOptions(options)));
}) as Extra & ((options?: EndFailedConnectionsOptions) => Extra);
export type { EndFailedConnectionsOptions };
/**
 * Closes the window's open connections on every `pagehide`, also when the page enters the
 * back/forward cache, so that the browser can keep it (a page with an open connection is never
 * kept). The core closes them only when the page is not kept. Until the next `pageshow`, what the
 * page opens (from a channel's `onclose`, say) is closed too before the page is frozen. A page
 * restored from the cache gets `pageshow` with `persisted` true, every connection closed:
 * reconnect there.
 */
export const closeOnPagehide: Extra = /* @__PURE__ */ brand(closeOnHide);
