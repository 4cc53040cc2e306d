// The package's runtime exports, sorted: what every build (ESM, CJS, from the tarball) must expose.
export const EXPORTS = [
  'closeOnPagehide',
  'closed',
  'endFailedConnections',
  'install',
  'recoverConnectionLimit',
  'releaseHandlers',
  'settlePendingOnClose',
  'stats',
  'stopTracksOnClose',
  'uninstall',
  'version',
];
