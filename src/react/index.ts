/**
 * iadvize-activation/react: hooks over a controller made with createActivation. Nothing else
 * from the library is bundled here; React is an optional peer dependency.
 * @module iadvize-activation/react
 */
export { useActivation } from './use-activation.js';
export { useActivationIdentity } from './use-activation-identity.js';
export { useActivationEvent } from './use-activation-event.js';
export type { SiteIdentity } from '../activation/follow-identity.js';
