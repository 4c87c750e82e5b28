// The prediction server's options and defaults (light: the extension reads them without loading the engine).
import type { BatchOptions } from './microBatcher';

export interface ServeOptions extends BatchOptions {
  port: number;
  host: string;
  /** Longest time from a request's arrival to its answer; later, 408 (body not received) or 503. */
  requestTimeoutMs: number;
  /** Told about the server's own failures. */
  log?: (line: string) => void;
}

export const DEFAULT_SERVE_OPTIONS: ServeOptions = {
  port: 7860,
  host: '127.0.0.1',
  maxBatch: 64,
  maxWaitMs: 0,
  maxQueue: 1024,
  requestTimeoutMs: 30_000,
};

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** What to say when the server listens beyond this machine, or undefined for a loopback address. */
export function exposureWarning(host: string): string | undefined {
  if (LOOPBACK.has(host)) return undefined;
  return `listening on ${host}: other machines on the network can reach the server, which has no authentication`;
}
