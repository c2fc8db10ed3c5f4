/**
 * iadvize-activation/vue: composables over a controller made with createActivation. Nothing
 * else from the library is bundled here; Vue (3.3 or later) is an optional peer dependency.
 * @module iadvize-activation/vue
 */
export { useActivation } from './use-activation.js';
export { useActivationIdentity } from './use-activation-identity.js';
export { useActivationEvent } from './use-activation-event.js';
export type { SiteIdentity } from '../activation/follow-identity.js';
