// The one place where the shim is applied to a window and removed from it.
//
// Apply-once across copies: the installation is recorded on the window under
// Symbol.for('webrtc-close-shim'), which every copy of the shim (script tag, bundles, any
// version) looks up, so the first install() wins and the others are no-ops.

import { channels } from './concerns/channels';
import type { Concern, ShimContext } from './context';
import { createPatcher } from './lib/define';
import { createDispatcher } from './lib/dispatch';
import { createRegistry } from './registry';
import { installTracking } from './tracking';

declare const __VERSION__: string;
export const version: string = __VERSION__;

const MARK = Symbol.for('webrtc-close-shim');

/** Order matters only where noted in a concern's header. */
const CONCERNS: Concern[] = [channels];

export interface InstallOptions {
  /** The window (realm) to patch: an iframe's `contentWindow`, say. Default: `globalThis`. */
  target?: typeof globalThis;
}

/**
 * - `installed`: this call applied the shim.
 * - `already-installed`: a shim (this copy or another, any version) is already applied; the first
 *   installation and its options stay.
 * - `unsupported`: the target has no `RTCPeerConnection`/`RTCDataChannel` (Node, SSR, a browser
 *   without WebRTC); nothing was changed.
 */
export type InstallStatus = 'installed' | 'already-installed' | 'unsupported';

/** What is stored on the window for every copy of the shim to find. */
interface Installation {
  readonly version: string;
  uninstall(): string[];
}

type Target = typeof globalThis & { [MARK]?: Installation };

function resolveTarget(options: InstallOptions | undefined): Target | undefined {
  if (options === undefined || options === null) return globalThis as Target;
  if (typeof options !== 'object') {
    throw new TypeError(`webrtc-close-shim: install() takes an options object, got ${typeof options}`);
  }
  const target = options.target === undefined ? globalThis : options.target;
  if (target === null || (typeof target !== 'object' && typeof target !== 'function')) {
    throw new TypeError('webrtc-close-shim: options.target must be a window object');
  }
  return target as Target;
}

function supportsWebRTC(win: Target): boolean {
  return typeof win.RTCPeerConnection === 'function' && typeof win.RTCDataChannel === 'function';
}

/** Applies the shim to `options.target` (default `globalThis`). Safe to call any number of times. */
export function install(options?: InstallOptions): InstallStatus {
  const win = resolveTarget(options);
  if (!win || !supportsWebRTC(win)) return 'unsupported';
  if (win[MARK]) return 'already-installed';

  const patch = createPatcher();
  const readyState = Object.getOwnPropertyDescriptor(win.RTCDataChannel.prototype, 'readyState')!.get!;
  const ctx: ShimContext = {
    win,
    registry: createRegistry(),
    patch,
    dispatcher: createDispatcher(win),
    nativeReadyState: (dc) => readyState.call(dc),
  };
  try {
    const hooks = CONCERNS.map((concern) => concern(ctx));
    installTracking(ctx, hooks);
  } catch (error) {
    // A frozen or hardened realm: leave nothing half-installed.
    patch.restore();
    throw new Error(`webrtc-close-shim: could not patch this window (${String(error)}); nothing was changed`);
  }
  const installation: Installation = { version, uninstall: () => patch.restore() };
  Object.defineProperty(win, MARK, { value: installation, configurable: true, enumerable: false, writable: false });
  return 'installed';
}

/**
 * Removes the shim from `target` (default `globalThis`), whichever copy installed it, restoring
 * every patched member to the exact descriptor it had. A member that other code has wrapped since
 * is left in place, its shim part turned into a pass-through. Returns false when nothing was
 * installed there.
 */
export function uninstall(target?: typeof globalThis): boolean {
  const win = resolveTarget(target === undefined ? undefined : { target });
  const installation = win && win[MARK];
  if (!installation) return false;
  delete win[MARK];
  installation.uninstall();
  return true;
}
