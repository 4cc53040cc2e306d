// The extras, each behaviour beyond the contract, off unless passed to install({ extras }).
import type { Extra } from '../install';
import { recoverConnectionLimit as recover } from './connection-limit';
import { releaseHandlers as release } from './release-handlers';
import { settlePendingOnClose as settle } from './settle-pending';
import { stopTracksOnClose as stop } from './stop-tracks';

/**
 * Operations (`createOffer`, `createAnswer`, `setLocalDescription`, `setRemoteDescription`,
 * `addIceCandidate`) still pending at `close()` reject with an `InvalidStateError` `DOMException`
 * in the next task; natively they never settle. Legacy callback forms are left alone.
 */
export const settlePendingOnClose: Extra = settle;
/** `close()` stops the local tracks its senders were sending, unless another open connection still sends the same track. */
export const stopTracksOnClose: Extra = stop;
/**
 * Once a closed connection's close events are delivered, the `on…` handler attributes of the
 * connection and its channels are set to `null`, so objects they capture can be collected.
 */
export const releaseHandlers: Extra = release;
/**
 * When Chromium's constructor fails at its limit of 500 connections, forces a garbage collection
 * (short-lived buffers) and retries, up to four times, at most once per task; then throws an
 * `UnknownError` that says what to do. Without it, the engine's own error reaches the page unchanged.
 */
export const recoverConnectionLimit: Extra = recover;
