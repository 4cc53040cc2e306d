// Public API. Importing this module changes nothing; call install(). The extras are separate
// exports, so a bundle carries only those it imports.
export { closed, install, stats, uninstall, version } from './install';
export type { Connection, Extra, InstallOptions, InstallStatus } from './install';
export type { Stats } from './concerns/stats';
export {
  closeOnPagehide,
  endFailedConnections,
  recoverConnectionLimit,
  releaseHandlers,
  settlePendingOnClose,
  stopTracksOnClose,
} from './extras';
export type { EndFailedConnectionsOptions } from './extras';
