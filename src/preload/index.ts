/**
 * iadvize-activation/preload: start the tag script and the token request from an inline
 * `<head>` script (dist/preload-inline.js, exported as `iadvize-activation/preload/inline`),
 * then hand the preloaded token to the controller with `preloadedToken(fetchTokenFrom(url))`.
 * @module iadvize-activation/preload
 */
export { MIN_PRELOADED_LIFE_MS, preloadedToken } from './adopt.js';
export type { PreloadedTokenOptions } from './adopt.js';
export { preload, PRELOADED_TOKEN_GLOBAL, preloadScriptUrl } from './preload.js';
export type { PreloadedToken, PreloadOptions } from './preload.js';
