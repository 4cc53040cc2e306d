// What makes a function one of the package's extras: a brand under
// Symbol.for('webrtc-close-shim.extra'), which every copy of the package (script tag, bundles, any
// version from 0.2.0) sets on its extras and install() looks for, so that an extra of another copy
// is accepted and any other function is refused (identity would refuse the other copies' extras).

import type { Extra } from '../install';

/** The brand's key, shared by every copy of the package. */
export const EXTRA = Symbol.for('webrtc-close-shim.extra');

/** The extras' export names, for install()'s errors. */
export const EXTRA_NAMES =
  'settlePendingOnClose, stopTracksOnClose, releaseHandlers, recoverConnectionLimit, endFailedConnections, closeOnPagehide';

/** Brands `extra` as one of the package's extras and returns it. Call sites mark it pure, so that bundlers drop the extras not imported. */
export const brand = (extra: object): Extra => Object.defineProperty(extra, EXTRA, { value: true }) as Extra;

/** Whether `value` is an extra of any copy of the package. */
export const isExtra = (value: unknown): boolean => typeof value === 'function' && (value as { [EXTRA]?: unknown })[EXTRA] === true;
