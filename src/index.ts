// Public API. Importing this module changes nothing; call install().
export { install, uninstall, version } from './install';
export type { InstallOptions, InstallStatus } from './install';
export type { ShimOptions } from './context';
