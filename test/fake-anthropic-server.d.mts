// Types for fake-anthropic-server.mjs (kept in plain JS so CI can spawn it without a build).
export type FakeMode =
  | "ok" | "token_expired" | "invalid_token" | "scope" | "429" | "500" | "html502" | "truncated" | "stall" | "oversize" | "oversize-chunked";
export type FakeModeOptions = { token?: string; retryAfter?: number | null; stallMs?: number };
export type FakeRequest = {
  path: string; method: string | undefined; tokenHash: string | null; beta: string | string[] | null;
  userAgent: string | null; at: string; status: number;
};
export type FakeTokens = Record<string, { usage?: string; profile?: string }>;
export type FakeAnthropic = {
  url: string;
  port: number;
  requests: { readonly count: number; log: FakeRequest[]; forToken(token: string): FakeRequest[] };
  setMode(mode: FakeMode, opts?: FakeModeOptions): void;
  setStallMs(ms: number): void;
  setTokens(map: FakeTokens): void;
  tokenHash(token: string): string | null;
  close(): Promise<void>;
};
export const DEFAULT_FIXTURES_DIR: string;
export const MODES: FakeMode[];
export function startFakeAnthropic(options?: {
  fixturesDir?: string; tokens?: FakeTokens; stallMs?: number; port?: number; host?: string;
}): Promise<FakeAnthropic>;
