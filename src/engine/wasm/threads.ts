// How many threads the wasm backend and data-parallel training use, and whether the threaded wasm build can run.
import { existsSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { WASM_FILES } from './wasmBackend';

/** Threads when their environment variable is not set: one per core, at most this many. */
const DEFAULT_MAX_THREADS = 4;
/** The most threads an environment variable may ask for: each is a worker with its own memory. */
export const MAX_THREADS = 64;

/**
 * A thread count: the environment variable `variable` when it is a whole number above 0 (at most MAX_THREADS),
 * else one per core (at most 4).
 */
export function threadCount(variable: string): number {
  const requested = Number(process.env[variable] ?? 0);
  if (Number.isInteger(requested) && requested > 0) return Math.min(requested, MAX_THREADS);
  return Math.min(os.availableParallelism(), DEFAULT_MAX_THREADS);
}

/**
 * Threads XNNPACK may use: MNIST_WASM_THREADS (1 = the single-threaded build), else one per core.
 * Measured on 2 quiet cores: training +20-30 %, batched inference +65 % (README, Performance).
 */
export function wantedThreads(): number {
  return threadCount('MNIST_WASM_THREADS');
}

export function canUseThreads(wasmDir: string, threads: number): boolean {
  return (
    threads > 1 &&
    typeof SharedArrayBuffer === 'function' &&
    existsSync(join(wasmDir, WASM_FILES.threadedWorker)) &&
    existsSync(join(wasmDir, WASM_FILES.threadedFactory))
  );
}
