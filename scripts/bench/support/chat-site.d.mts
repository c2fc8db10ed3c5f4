// Types for chat-site.mjs, so the preload's Chromium test imports it checked.
export declare const TOKEN_PATH: string;
export declare const TAG_PATH: string;
export declare const IADVIZE_PATH: string;
export declare const SESSION_COOKIE: string;

export interface ChatSitePage {
  readonly html: string;
  readonly script?: string;
}

export interface ChatSite {
  delays: { tagMs: number; tokenMs: number; iadvizeMs: number };
  /** Requests so far to the token endpoint, the tag script and the fake iAdvize server. */
  readonly counts: { token: number; tag: number; iadvize: number };
  readonly origin: string;
  close(): Promise<void>;
}

export declare function startChatSite(pages: Record<string, ChatSitePage>): Promise<ChatSite>;
