// The inline <head> entry (built to dist/preload-inline.js, an IIFE a page pastes into a
// <script> of its own): reads its settings from that script's data attributes, so the same
// bytes serve every page and nothing has to be templated into the code.
//   <script data-sid="SID" data-token-url="/api/iadvize-token" data-platform="ha">…</script>
// Attributes: data-sid, data-token-url, and data-script-url or data-platform (default ha);
// data-identity, the signed-in visitor's id, as the page will pass it to signIn.
import { preload, preloadScriptUrl } from './preload.js';

// currentScript is set only while an inline classic script's top level runs.
const data = (document.currentScript as HTMLScriptElement).dataset;
preload({
  sid: data.sid!,
  tokenUrl: data.tokenUrl!,
  scriptUrl: data.scriptUrl ?? preloadScriptUrl(data.platform),
  identity: data.identity,
});
