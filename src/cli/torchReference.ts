// Runs the project's PyTorch reference (test/bench/torch_reference.py) for `bench --vs-torch`, when a Python with torch exists.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../engine/paths';

export interface TorchFigures {
  torch_version: string;
  torch_threads: number;
  torch_train_img_s_b32: number;
  torch_train_img_s_b128: number;
  torch_infer_img_s: number;
}

/** Debian's python3-torch lives under /usr/bin/python3; the python3 on PATH may be another one (pyenv). */
const PYTHON_CANDIDATES = ['/usr/bin/python3', 'python3', 'python'];

export function findTorchPython(candidates = PYTHON_CANDIDATES): string | undefined {
  return candidates.find((python) => spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);
}

export function torchScript(root = projectRoot()): string {
  return join(root, 'test', 'bench', 'torch_reference.py');
}

export interface TorchRunOptions {
  dataDir: string;
  trainImages: number;
  repeats: number;
  threads: number;
}

/** The reference's figures, or why there are none. */
export function runTorchReference(options: TorchRunOptions): { figures?: TorchFigures; problem?: string } {
  const script = torchScript();
  if (!existsSync(script)) return { problem: `${script} is missing` };
  const python = findTorchPython();
  if (!python) return { problem: 'no Python with PyTorch found (install it with: apt-get install python3-torch)' };
  const args = [
    script,
    options.dataDir,
    '--train-images',
    String(options.trainImages),
    '--repeats',
    String(options.repeats),
    '--threads',
    String(options.threads),
  ];
  const run = spawnSync(python, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const lastLine = run.stdout?.trim().split('\n').pop() ?? '';
  if (run.status !== 0 || !lastLine.startsWith('{'))
    return { problem: `the PyTorch reference failed (exit ${run.status})` };
  return { figures: JSON.parse(lastLine) as TorchFigures };
}
