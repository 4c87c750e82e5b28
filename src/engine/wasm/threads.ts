// Starts tfjs-backend-wasm's threaded SIMD build in Node, where tfjs itself keeps it off: its pthread workers come
// from blob: URLs, which Node's Worker rejects. The build (esbuild.mjs) writes the worker as a real file instead.
import * as tf from '@tensorflow/tfjs-core';
import { setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

export const THREADED_WORKER_FILE = 'tfjs-backend-wasm-threaded-simd.worker.js';
const THREADED_FACTORY_FILE = 'tfjs-backend-wasm-threaded-simd.js';

/** Threads when their environment variable is not set: one per core, at most this many. */
const DEFAULT_MAX_THREADS = 4;

/** A thread count: the environment variable `variable` when it is a whole number above 0, else one per core (at most 4). */
export function threadCount(variable: string): number {
  const requested = Number(process.env[variable] ?? 0);
  if (Number.isInteger(requested) && requested > 0) return requested;
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
    existsSync(join(wasmDir, THREADED_WORKER_FILE)) &&
    existsSync(join(wasmDir, THREADED_FACTORY_FILE))
  );
}

/**
 * Runs `start` (which calls tf.setBackend('wasm')) with the threaded build enabled. For its duration:
 * - the worker blob tfjs creates resolves to the real worker file;
 * - os.cpus() reports twice the cores, because the wasm module caps its thread pool at half of them
 *   (it assumes two hyper-threads per core).
 */
export async function withThreadedWasm<T>(wasmDir: string, threads: number, start: () => Promise<T>): Promise<T> {
  const createObjectURL = URL.createObjectURL;
  const cpus = os.cpus;
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  setThreadsCount(threads);
  URL.createObjectURL = (blob: Blob) =>
    blob.type === 'application/javascript' ? join(wasmDir, THREADED_WORKER_FILE) : createObjectURL(blob);
  os.cpus = () => Array.from({ length: 2 * threads }, () => cpus()[0]);
  try {
    return await start();
  } finally {
    URL.createObjectURL = createObjectURL;
    os.cpus = cpus;
  }
}
