// The PageConfig the server embedded in the HTML.
import { PAGE_CONFIG_ID, type PageConfig } from '../page-config.js';

export function readPageConfig(): PageConfig {
  const text = document.getElementById(PAGE_CONFIG_ID)?.textContent;
  if (!text)
    throw new Error(`demo page: the #${PAGE_CONFIG_ID} element is missing; is this page served by the demo server?`);
  return JSON.parse(text) as PageConfig;
}
