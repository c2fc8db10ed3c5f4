// Whether the composables run in a browser. On the server (renderToString, Nuxt) a component's
// scope is never disposed, so subscribing there would leak one listener per request.
export const inBrowser = (): boolean => typeof document !== 'undefined';
