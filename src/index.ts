// Public API. Importing this module changes nothing; call install().
export { install, stats, uninstall, version } from './install';
export type { InstallOptions, InstallStatus } from './install';
export type { ShimOptions } from './context';
export type { Stats } from './concerns/limit';
