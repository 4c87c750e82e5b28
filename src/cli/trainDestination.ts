// Where `train` saves its model: --out when it is new, empty or holds a model (whose files are replaced), else a
// refusal; without --out, a new run in the runs folder (--runs-dir, default runs/ in the working folder; never the
// bundled model).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MODEL_FILE } from '../engine/model/metadata';
import type { Destination } from '../engine/training/trainerProtocol';

/** The folder runs go to without --runs-dir, under the working folder (git-ignored in this project). */
export const RUNS_DIR = 'runs';

export function runsFolder(runsDir: string | undefined, cwd: string): string {
  return resolve(cwd, runsDir ?? RUNS_DIR);
}

/** Where to save, or why --out cannot be used. */
export function trainDestination(
  out: string | undefined,
  runsDir: string | undefined,
  cwd: string,
): Destination | { problem: string } {
  if (out === undefined) return { runsDir: runsFolder(runsDir, cwd) };
  const dir = resolve(cwd, out);
  const info = statSync(dir, { throwIfNoEntry: false });
  if (!info) return { modelDir: dir };
  if (!info.isDirectory()) return { problem: `--out ${out}: is a file, not a folder` };
  if (existsSync(join(dir, MODEL_FILE)) || readdirSync(dir).length === 0) return { modelDir: dir };
  return {
    problem: `--out ${out}: the folder holds other files and no model (${MODEL_FILE}); give a new or empty folder, or a model's folder to replace that model`,
  };
}
