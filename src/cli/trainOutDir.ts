// Where `train` saves its model: --out when it is new, empty or holds a model (whose files are replaced), else a
// refusal; without --out, a new timestamped folder under runs/ in the working folder (never the bundled model).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MODEL_FILE } from '../engine/model/metadata';

/** The folder runs without --out go to, under the working folder (git-ignored in this project). */
export const RUNS_DIR = 'runs';

/** The folder to save into, or why --out cannot be used. */
export function trainOutDir(
  out: string | undefined,
  cwd: string,
  now = new Date(),
): { dir: string } | { problem: string } {
  if (out === undefined) return { dir: newRunDir(join(resolve(cwd), RUNS_DIR), now) };
  const dir = resolve(cwd, out);
  const info = statSync(dir, { throwIfNoEntry: false });
  if (!info) return { dir };
  if (!info.isDirectory()) return { problem: `--out ${out}: is a file, not a folder` };
  if (existsSync(join(dir, MODEL_FILE)) || readdirSync(dir).length === 0) return { dir };
  return {
    problem: `--out ${out}: the folder holds other files and no model (${MODEL_FILE}); give a new or empty folder, or a model's folder to replace that model`,
  };
}

/** runs/2026-12-02T05-47-12 (then -2, -3… should it exist). */
function newRunDir(runs: string, now: Date): string {
  const stamp = now.toISOString().slice(0, 19).replaceAll(':', '-');
  let dir = join(runs, stamp);
  for (let n = 2; existsSync(dir); n++) dir = join(runs, `${stamp}-${n}`);
  return dir;
}
