// Kept training runs: one folder per run under a runs folder (the extension's global storage, the CLI's runs/), each a
// saved model whose metadata records the run. A run is saved under a hidden name and renamed into place once whole, so
// a listing (or a file watcher on the runs folder) sees a run complete or not at all; a cancelled, failed or
// interrupted run leaves only a hidden folder, which the next prune removes.
// No TensorFlow.js here (the extension host lists and prunes runs; runs/saveRun.ts saves them).
import { mkdirSync, renameSync, statSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as v from 'valibot';
import { MODEL_FILE, readModelMetadata, type ModelMetadata } from '../model/metadata';

/** 2026-12-02T07-30-00, then the architecture's name and, should the name be taken, -2, -3…; older runs lack the name. */
const RUN_ID = /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d(-[a-z0-9][a-z0-9-]{0,63})?$/;
/** A run being saved: .partial-<pid>-<random>. */
const PARTIAL = /^\.partial-(\d+)-[0-9a-f]+$/;

/** The hidden folder a run of this process is saved in before it is renamed into place. */
export function partialRunName(random: string): string {
  return `.partial-${process.pid}-${random}`;
}
/** Entries of a runs folder looked at, at most (a listing reads one bounded model.json per run). */
export const MAX_LISTED_RUNS = 1000;

/** How many runs to keep (mnist.runs.keep): the oldest beyond it are removed after each run, never the active one. */
export const RunsKeepSchema = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_LISTED_RUNS));
export const DEFAULT_RUNS_KEEP = 20;

export interface Run {
  id: string;
  dir: string;
  /** What the run's model.json records; undefined when it cannot be read. */
  metadata?: ModelMetadata;
}

export class RunNotFoundError extends Error {
  constructor(runsDir: string, id: string) {
    super(`there is no run "${id}" in ${runsDir}`);
    this.name = 'RunNotFoundError';
  }
}

export function isRunId(name: string): boolean {
  return RUN_ID.test(name);
}

/** The folder of run `id`; throws unless `id` is a run's name (never a path) and the folder exists. */
export function runDir(runsDir: string, id: string): string {
  const dir = join(runsDir, id);
  if (!isRunId(id) || !statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new RunNotFoundError(runsDir, id);
  }
  return dir;
}

/** A new run's id: its start date and time (UTC) and its architecture's name. */
export function newRunId(runsDir: string, date: Date, architectureName = ''): string {
  const stamp = date.toISOString().slice(0, 19).replaceAll(':', '-');
  const name = architectureName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 40);
  const base = name ? `${stamp}-${name}` : stamp;
  let id = base;
  for (let n = 2; statSync(join(runsDir, id), { throwIfNoEntry: false }); n++) id = `${base}-${n}`;
  return id;
}

/** The runs, oldest first (ids sort by date), each with its metadata when it can be read. */
export async function listRuns(runsDir: string): Promise<Run[]> {
  let names: string[];
  try {
    names = await readdir(runsDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const ids = names.filter(isRunId).sort().slice(-MAX_LISTED_RUNS);
  const runs = await Promise.all(
    ids.map(async (id) => {
      const dir = join(runsDir, id);
      const isFolder = await stat(dir).then(
        (info) => info.isDirectory(),
        () => false,
      );
      return isFolder ? [{ id, dir, metadata: await readModelMetadata(dir) }] : [];
    }),
  );
  return runs.flat();
}

export async function readRun(runsDir: string, id: string): Promise<Run> {
  const dir = runDir(runsDir, id);
  return { id, dir, metadata: await readModelMetadata(dir) };
}

export async function deleteRun(runsDir: string, id: string): Promise<void> {
  await rm(runDir(runsDir, id), { recursive: true, force: true });
}

/**
 * Removes the oldest runs until at most `keep` are left, never one of `keepIds` (the active run), and the hidden
 * folders of runs that were being saved by a process that has ended. Returns the ids removed.
 */
export async function pruneRuns(runsDir: string, keep: number, keepIds: readonly string[] = []): Promise<string[]> {
  await removeAbandonedRuns(runsDir);
  const runs = await listRuns(runsDir);
  const removable = runs.filter((run) => !keepIds.includes(run.id));
  const removed: string[] = [];
  for (const run of removable.slice(0, Math.max(0, runs.length - keep))) {
    await deleteRun(runsDir, run.id);
    removed.push(run.id);
  }
  return removed;
}

async function removeAbandonedRuns(runsDir: string): Promise<void> {
  const names = await readdir(runsDir).catch(() => []);
  for (const name of names) {
    const pid = PARTIAL.exec(name)?.[1];
    if (pid !== undefined && !processIsAlive(Number(pid)))
      await rm(join(runsDir, name), { recursive: true, force: true });
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Moves a model folder saved before runs were kept (the extension's models/trained) into `runsDir` as a run, named by
 * the time it was saved; its id, or undefined when there is no model there.
 */
export function adoptModelFolder(runsDir: string, dir: string, architectureName = 'seed'): string | undefined {
  const saved = statSync(join(dir, MODEL_FILE), { throwIfNoEntry: false });
  if (!saved?.isFile()) return undefined;
  mkdirSync(runsDir, { recursive: true });
  const id = newRunId(runsDir, saved.mtime, architectureName);
  renameSync(dir, join(runsDir, id));
  return id;
}
