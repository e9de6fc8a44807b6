// Types for serve-load.mjs (plain JS so it runs as a bench without a build; e2e tests import it).
import type { ChildProcess } from "node:child_process";
import type { Agent, IncomingHttpHeaders } from "node:http";
import type { FakeAnthropic } from "../test/fake-anthropic-server.mjs";

export const BIN: string;
export const ACCESS: string;
export const REFRESH: string;
export type Sandbox = {
  root: string;
  home: string;
  env: Record<string, string>;
  fake: FakeAnthropic;
  usageRequests(): number;
  cleanup(): Promise<void>;
};
export function sandbox(extraToml?: string): Promise<Sandbox>;
export type Serve = {
  child: ChildProcess;
  out: { stdout: string; stderr: string };
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  ready: Promise<string>;
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};
export function startServe(env: Record<string, string>, args?: string[]): Serve;
export type Got = { status: number; headers: IncomingHttpHeaders; body: string; ms: number };
export function get(url: string, opts?: { headers?: Record<string, string>; agent?: Agent }): Promise<Got>;
export type LoadResult = { requests: number; concurrency: number; seconds: number; statuses: Record<string, number>; errors: string[]; p50: number; p99: number };
export function load(base: string, opts?: { requests?: number; concurrency?: number; paths?: string[]; headers?: Record<string, string> }): Promise<LoadResult>;
export function waitForData(base: string, headers?: Record<string, string>, timeoutMs?: number): Promise<{ governing: { kind: string; utilisation: number } | null } & Record<string, unknown>>;
