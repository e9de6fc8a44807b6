// In-process handle on the fake Anthropic OAuth server; the logic lives in the .mjs beside it so
// that a child process (e2e, CI) runs exactly the same server.
export { DEFAULT_FIXTURES_DIR, MODES, startFakeAnthropic } from "./fake-anthropic-server.mjs";
export type { FakeAnthropic, FakeMode, FakeModeOptions, FakeRequest, FakeTokens } from "./fake-anthropic-server.mjs";
