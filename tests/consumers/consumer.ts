// Type-checked by tests/node/consumers.test.mjs with tsc --strict against the installed package,
// as consumer.ts (moduleResolution bundler) and copied to consumer.mts (import condition) and
// consumer.cts (require condition) for node16 and nodenext. Each @ts-expect-error must stay an
// error: if the declarations get looser, tsc reports the directive as unused and the test fails.
import {
  closed,
  endFailedConnections,
  install,
  recoverConnectionLimit,
  releaseHandlers,
  settlePendingOnClose,
  stats,
  stopTracksOnClose,
  uninstall,
  version,
} from 'webrtc-close-shim';
import type { EndFailedConnectionsOptions, Extra, InstallOptions, InstallStatus, Stats } from 'webrtc-close-shim';

const extras: Extra[] = [settlePendingOnClose, stopTracksOnClose, releaseHandlers, recoverConnectionLimit];
const options: InstallOptions = { extras, target: globalThis };
const status: InstallStatus = install(options);
const defaults: InstallStatus = install();
install({ extras: [stopTracksOnClose] });
const endOptions: EndFailedConnectionsOptions = { disconnectedMs: 5000 };
const ending: Extra = endFailedConnections(endOptions);
install({ extras: [endFailedConnections, ending, endFailedConnections()] });

function describe(s: InstallStatus): string {
  switch (s) {
    case 'installed':
    case 'already-installed':
    case 'unsupported':
      return s;
    default: {
      const unreachable: never = s;
      return unreachable;
    }
  }
}

declare const pc: { close(): void; createDataChannel(label: string): unknown };
const teardown: Promise<void> = closed(pc);
const counts: Stats | undefined = stats();
const open: number | undefined = counts?.open;
const uncollected: number | null | undefined = counts && counts.closedUncollected;
const framed: Stats | undefined = stats(globalThis);
const removed: boolean = uninstall();
const removedThere: boolean = uninstall(globalThis);
const v: string = version;

// @ts-expect-error the 0.1 flags are gone: extras are imported and passed in `extras`
install({ releaseHandlers: true });
// @ts-expect-error extras are the package's exports, not strings
install({ extras: ['releaseHandlers'] });
// @ts-expect-error nor any function: Extra is a branded type only the package's extras have
install({ extras: [(context: never) => context] });
// @ts-expect-error a function is not an Extra
const notAnExtra: Extra = () => undefined;
// @ts-expect-error target is a window, not a string
install({ target: 'window' });
// @ts-expect-error install() returns one of three strings, not a boolean
const wrongStatus: boolean = install();
// @ts-expect-error stats() is undefined when no shim is installed: it must be checked first
const unchecked: number = stats().connections;
// @ts-expect-error not a status install() can return
const notAStatus: InstallStatus = 'failed';
// @ts-expect-error version is a string
const versionNumber: number = version;
// @ts-expect-error closed() takes a connection
closed('pc');
// @ts-expect-error disconnectedMs is a number of milliseconds
endFailedConnections({ disconnectedMs: '5000' });
// @ts-expect-error the only option is disconnectedMs
endFailedConnections({ disconnected: 5000 });

export const results = [status, defaults, describe(status), teardown, open, uncollected, framed, removed, removedThere, v];
export const wrong = [wrongStatus, unchecked, notAStatus, versionNumber, notAnExtra];
