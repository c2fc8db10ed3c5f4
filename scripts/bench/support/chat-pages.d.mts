// Types for chat-pages.mjs, so the preload's Chromium test imports it checked.
import type { ChatSitePage } from './chat-site.mjs';

export declare const SID: string;
export declare const USER_ID: string;
export declare function inlinePreload(): { code: string; tag: string };
export declare function chatPages(): Promise<Record<'/snippet' | '/library' | '/preload', ChatSitePage>>;
