// The one place where the shim is applied to a window and removed from it.
//
// Apply-once across copies: the installation is recorded on the window under
// Symbol.for('webrtc-close-shim'), which every copy of the shim (script tag, bundles, any
// version) looks up, so the first install() wins and the others are no-ops. The record's shape,
// { version, uninstall, stats, closed }, is the protocol between copies: keep it.

import { channels } from './concerns/channels';
import { descriptions } from './concerns/descriptions';
import { quiet } from './concerns/quiet';
import { remote } from './concerns/remote';
import { states } from './concerns/states';
import { stats as statsConcern, type Stats } from './concerns/stats';
import { teardown } from './concerns/teardown';
import { tracks } from './concerns/tracks';
import { transceivers } from './concerns/transceivers';
import { unload } from './concerns/unload';
import { workers } from './concerns/workers';
import type { Concern, ShimContext } from './context';
import { createPatcher } from './lib/define';
import { createDispatcher } from './lib/dispatch';
import { EXTRA_NAMES, isExtra } from './lib/extra';
import { typeError } from './lib/type-error';
import { createRegistry } from './registry';
import { installTracking } from './tracking';
import { installWorker, isDedicatedWorker } from './worker/install';

declare const __VERSION__: string;
/** The version of this copy of the shim (the installed copy's is in `window[Symbol.for('webrtc-close-shim')].version`). */
export const version: string = __VERSION__;

const MARK = Symbol.for('webrtc-close-shim');

/**
 * An opt-in behaviour beyond the contract, imported from this package and passed to
 * {@link install} in `extras`: {@link settlePendingOnClose}, {@link stopTracksOnClose},
 * {@link releaseHandlers}, {@link recoverConnectionLimit}, {@link endFailedConnections},
 * {@link closeOnPagehide}. A bundle carries only the extras it imports.
 */
export type Extra = ((context: never) => unknown) & {
  /**
   * The brand that makes `Extra` admit only the package's extras. Types only: at run time,
   * `install()` recognises an extra of any copy of the package by `Symbol.for('webrtc-close-shim.extra')`.
   * A string key, so that the declarations of every entry point (and every copy) agree.
   */
  readonly '~webrtc-close-shim.extra': true;
};

/** Options of {@link install}. */
export interface InstallOptions {
  /** The window (realm) to patch: an iframe's `contentWindow`, say. Default: `globalThis`. */
  target?: typeof globalThis;
  /** Extras to apply with the core, e.g. `[stopTracksOnClose]`. Default: none. */
  extras?: readonly Extra[];
}

/**
 * What {@link install} did:
 * - `installed`: this call applied the shim.
 * - `already-installed`: a shim (this copy or another, any version) is already applied; the first
 *   installation and its extras stay.
 * - `unsupported`: the target has no `RTCPeerConnection`/`RTCDataChannel` (Node, SSR, a browser
 *   without WebRTC), or is a worker other than a dedicated worker with `RTCDataChannel`; nothing was
 *   changed. In a dedicated worker, the shim applies to the data channels transferred to it.
 */
export type InstallStatus = 'installed' | 'already-installed' | 'unsupported';

/**
 * An `RTCPeerConnection`, typed structurally so that the declarations need no DOM library (a
 * server-side project compiles against them too).
 */
export interface Connection {
  /** `RTCPeerConnection.close()`. */
  close(): void;
}

/** What is stored on the window for every copy of the shim to find. */
interface Installation {
  readonly version: string;
  uninstall(): void;
  /** Not in a worker. */
  stats?(): Stats;
  closed?(pc: RTCPeerConnection): Promise<void>;
}

type Target = typeof globalThis & { [MARK]?: Installation };

function targetOf(target: unknown): Target {
  if (target === undefined) return globalThis as Target;
  if (target === null || (typeof target !== 'object' && typeof target !== 'function')) throw typeError('target must be a window object');
  return target as Target;
}

/**
 * Applies the shim to `options.target` (default `globalThis`), with the `options.extras` given.
 * Safe to call any number of times, from any copy of the shim: the first installation wins.
 *
 * @throws TypeError for an unknown option or extras that are not an array of extras; Error when
 *   the window's WebRTC prototypes cannot be patched (frozen, say), in which case nothing was changed.
 * @example
 * ```ts
 * import { install, stopTracksOnClose } from 'webrtc-close-shim';
 * install(); // or install({ extras: [stopTracksOnClose] })
 * ```
 */
export function install(options?: InstallOptions): InstallStatus {
  const given = options === undefined || options === null ? {} : options;
  if (typeof given !== 'object') throw typeError(`install() takes an options object, got ${typeof given}`);
  for (const key of Object.keys(given)) {
    if (key !== 'target' && key !== 'extras') {
      // Options before 0.2.0 were flags: install({ stopTracksOnClose: true }); else a misspelling.
      throw typeError(
        `unknown option "${key}"; ` +
          (EXTRA_NAMES.split(', ').includes(key)
            ? `an extra is imported and passed as install({ extras: [${key}] })`
            : 'did you mean extras?'),
      );
    }
  }
  const win = targetOf(given.target);
  const extras = given.extras || [];
  if (!Array.isArray(extras) || !extras.every(isExtra)) throw typeError(`extras must be an array of extras: ${EXTRA_NAMES}`);
  const inWorker = typeof win.RTCPeerConnection !== 'function' && isDedicatedWorker(win);
  if ((typeof win.RTCPeerConnection !== 'function' && !inWorker) || typeof win.RTCDataChannel !== 'function') return 'unsupported';
  if (win[MARK]) return 'already-installed';

  const patch = createPatcher();
  const ctx: ShimContext = { win, registry: createRegistry(), patch, dispatcher: createDispatcher(win) };
  let installation: Installation;
  try {
    if (inWorker) {
      // A worker's channels were transferred by a page, which knows their connection (worker/install.ts).
      installWorker(win, patch, ctx.dispatcher);
      installation = { version, uninstall: () => patch.restore() };
    } else {
      const counts = statsConcern(ctx);
      const moved = workers(ctx);
      const closing = teardown(ctx, moved.settled);
      // Order matters: events reach the concerns in this order (channels fires its close before
      // quiet could stop anything; remote sees errors before quiet stops them), and tasks queued at
      // close() run in it (teardown resolves after the channels' close events and the workers'
      // acknowledgements, extras after both).
      const core: Concern[] = [channels, remote, quiet, states, transceivers, tracks, descriptions, unload];
      const hooks = core
        .map((concern) => concern(ctx))
        .concat(
          moved,
          counts,
          closing,
          (extras as Concern[]).map((extra) => extra(ctx)),
        );
      const sync = installTracking(ctx, hooks);
      // Each asks the engine first about the connections it reports on (tracking.ts, isClosed()).
      installation = {
        version,
        uninstall: () => patch.restore(),
        stats: () => (ctx.registry.open().forEach(sync), counts.stats()),
        closed: (pc) => (sync(pc), closing.closed(pc)),
      };
    }
  } catch (cause) {
    // A frozen or hardened realm: leave nothing half-installed.
    patch.restore();
    throw new Error(`webrtc-close-shim: could not patch this window (${String(cause)}); nothing was changed`, { cause });
  }
  Object.defineProperty(win, MARK, { value: installation, configurable: true });
  return 'installed';
}

/**
 * Counts of the connections the installed shim has seen, for hunting leaks: how many were
 * constructed, are open, were closed, and are closed but not yet garbage-collected (still
 * referenced somewhere, or simply not collected yet). Changes nothing. Undefined when no shim is
 * installed on `target` (default `globalThis`).
 */
export function stats(target?: typeof globalThis): Stats | undefined {
  const installation = targetOf(target)[MARK];
  return installation && installation.stats && installation.stats();
}

/**
 * Removes the shim from `target` (default `globalThis`), whichever copy installed it, restoring
 * every patched member to the exact descriptor it had. A member that other code has wrapped since
 * is left in place, its shim part turned into a pass-through. Objects closed while it was installed
 * keep reading closed (what close() pinned on them stays). Returns false when nothing was
 * installed there.
 */
export function uninstall(target?: typeof globalThis): boolean {
  const win = targetOf(target);
  const installation = win[MARK];
  if (!installation) return false;
  delete win[MARK];
  installation.uninstall();
  return true;
}

/**
 * Teardown you can await: resolves once `pc.close()` has run and every data channel of `pc` has
 * had its one `close` event, in a task after the last of them (receiver tracks read `ended` by
 * then). Called before `close()`, it waits for it; called after, it resolves after the pending
 * events, or in the next task when none are pending. Rejects with a TypeError, never throws, for a
 * connection the installed shim does not know (made with a constructor saved before `install()`,
 * or in another realm) or for something that is not a connection. Keeps no strong reference to `pc`.
 *
 * @example
 * ```ts
 * pc.close();
 * await closed(pc); // every channel's close handler has run
 * ```
 */
export function closed(pc: Connection): Promise<void> {
  const installation = (globalThis as Target)[MARK];
  return installation && installation.closed
    ? installation.closed(pc as RTCPeerConnection)
    : Promise.reject(typeError('closed() needs the shim (0.2 or later) installed in this window'));
}
