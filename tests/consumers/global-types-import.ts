// As global-types.ts, with `import type` (erased from the output, so nothing is bundled).
import type {} from 'webrtc-close-shim/iife';

export const version: string = window.webrtcCloseShim.version;
