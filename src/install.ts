// The one place where the shim is applied to a window and removed from it.
//
// Apply-once across copies: the installation is recorded on the window under
// Symbol.for('webrtc-close-shim'), which every copy of the shim (script tag, bundles, any
// version) looks up, so the first install() wins and the others are no-ops.

import { channels } from './concerns/channels';
import { limit, type Stats } from './concerns/limit';
import { pending } from './concerns/pending';
import { quiet } from './concerns/quiet';
import { release } from './concerns/release';
import { remote } from './concerns/remote';
import { states } from './concerns/states';
import { tracks } from './concerns/tracks';
import { transceivers } from './concerns/transceivers';
import type { Concern, ShimContext, ShimOptions } from './context';
import { createPatcher } from './lib/define';
import { createDispatcher } from './lib/dispatch';
import { createRegistry } from './registry';
import { installTracking } from './tracking';

declare const __VERSION__: string;
/** The version of this copy of the shim (the installed copy's is in `window[Symbol.for('webrtc-close-shim')].version`). */
export const version: string = __VERSION__;

const MARK = Symbol.for('webrtc-close-shim');

/**
 * Order matters: each concern's listeners on a channel run in this order, so `channels`
 * stops the engine's events of a channel closed by close() before `remote` could take its `close`
 * for a remote abort; and tasks queued at close() run in this order, so `release` clears the
 * handlers only after `channels` has fired the close events.
 */
const CONCERNS: Concern[] = [channels, remote, quiet, states, transceivers, tracks, pending, limit, release];

/** Options of {@link install}: the window to patch, and the opt-in behaviours of {@link ShimOptions}. */
export interface InstallOptions extends Partial<ShimOptions> {
  /** The window (realm) to patch: an iframe's `contentWindow`, say. Default: `globalThis`. */
  target?: typeof globalThis;
}

/** The boolean options, all off by default. */
export const FLAGS: ReadonlyArray<keyof ShimOptions> = ['settlePendingOnClose', 'stopTracksOnClose', 'releaseHandlers'];

/**
 * What {@link install} did:
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
  uninstall(): void;
  stats(): Stats;
}

type Target = typeof globalThis & { [MARK]?: Installation };

function resolveTarget(options: InstallOptions | undefined): Target {
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

function resolveFlags(options: InstallOptions | undefined): Partial<ShimOptions> {
  const given = (options || {}) as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (key === 'target') continue;
    if (!FLAGS.includes(key as keyof ShimOptions)) {
      throw new TypeError(`webrtc-close-shim: unknown option "${key}" (known: target, ${FLAGS.join(', ')})`);
    }
    if (given[key] !== undefined && typeof given[key] !== 'boolean') {
      throw new TypeError(`webrtc-close-shim: option "${key}" must be true or false, got ${typeof given[key]}`);
    }
  }
  // A copy: the page changing its object later changes nothing.
  return Object.assign({}, given);
}

/**
 * Applies the shim to `options.target` (default `globalThis`). Safe to call any number of times,
 * from any copy of the shim: the first installation wins.
 *
 * @throws TypeError for an unknown option or a non-boolean value; Error when the window's WebRTC
 *   prototypes cannot be patched (frozen, say), in which case nothing was changed.
 * @example
 * ```ts
 * import { install } from 'webrtc-close-shim';
 * install(); // or install({ releaseHandlers: true })
 * ```
 */
export function install(options?: InstallOptions): InstallStatus {
  const win = resolveTarget(options);
  const flags = resolveFlags(options);
  if (typeof win.RTCPeerConnection !== 'function' || typeof win.RTCDataChannel !== 'function') return 'unsupported';
  if (win[MARK]) return 'already-installed';

  const patch = createPatcher();
  const ctx: ShimContext = { win, registry: createRegistry(), patch, dispatcher: createDispatcher(win), options: flags };
  let hooks: ReturnType<Concern>[];
  try {
    hooks = CONCERNS.map((concern) => concern(ctx));
    installTracking(ctx, hooks);
  } catch (error) {
    // A frozen or hardened realm: leave nothing half-installed.
    patch.restore();
    throw new Error(`webrtc-close-shim: could not patch this window (${String(error)}); nothing was changed`, { cause: error });
  }
  const statsOf = hooks.find((h) => h.stats)!.stats!;
  const installation: Installation = { version, uninstall: () => patch.restore(), stats: () => statsOf() };
  Object.defineProperty(win, MARK, { value: installation, configurable: true, enumerable: false, writable: false });
  return 'installed';
}

/**
 * Counts of the connections the installed shim has seen, for hunting leaks: how many were
 * constructed, are open, were closed, and are closed but not yet garbage-collected (still
 * referenced somewhere, or simply not collected yet). Changes nothing. Undefined when no shim is
 * installed on `target` (default `globalThis`).
 */
export function stats(target?: typeof globalThis): Stats | undefined {
  const installation = resolveTarget(target === undefined ? undefined : { target })[MARK];
  return installation ? installation.stats() : undefined;
}

/**
 * Removes the shim from `target` (default `globalThis`), whichever copy installed it, restoring
 * every patched member to the exact descriptor it had. A member that other code has wrapped since
 * is left in place, its shim part turned into a pass-through. Returns false when nothing was
 * installed there.
 */
export function uninstall(target?: typeof globalThis): boolean {
  const win = resolveTarget(target === undefined ? undefined : { target });
  const installation = win[MARK];
  if (!installation) return false;
  delete win[MARK];
  installation.uninstall();
  return true;
}
