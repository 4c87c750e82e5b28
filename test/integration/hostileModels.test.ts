// Hostile and damaged model folders given to the built CLI (dist/cli.js) with --model: each run ends within 2 s
// with a message naming the file, using at most 200 MB more memory than a run on the bundled model.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BUNDLES, builtFile, bundledModelDir } from '../../src/engine/paths';
import { buildHostileModels, type HostileModels } from '../fixtures/hostileModels';
import { CLI_BACKEND_ARGS } from '../testBackend';

const cli = builtFile(BUNDLES.cli);
const SEVEN = resolve('test/fixtures/png/seven-grey8.png');
const DEADLINE_MS = 2000;
const MAX_GROWTH_MB = 200;
/** The commands that take --model, with their arguments. */
const COMMANDS = [['summary'], ['classify', SEVEN], ['evaluate', '--limit', '100']];

interface Run {
  code: number | null;
  ms: number;
  /** Peak resident memory (VmHWM), sampled every 10 ms. */
  peakMb: number;
  json?: { error?: string };
}

/** Runs the CLI, killed at `deadline` ms; one thread, so 50 runs stay light on a shared machine. */
function mnist(args: string[], deadline: number): Promise<Run> {
  const start = performance.now();
  const child = spawn(process.execPath, [cli, ...args, ...CLI_BACKEND_ARGS, '--json'], {
    env: { ...process.env, MNIST_WASM_THREADS: '1' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let stdout = '';
  let peakMb = 0;
  child.stdout.on('data', (chunk) => (stdout += chunk));
  const sample = () => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      peakMb = Math.max(peakMb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
    } catch {
      // Exited, or no /proc (then memory is not measured).
    }
  };
  const sampler = setInterval(sample, 10);
  const killer = setTimeout(() => child.kill('SIGKILL'), deadline);
  return new Promise((done) =>
    child.on('exit', (code) => {
      clearInterval(sampler);
      clearTimeout(killer);
      let json;
      try {
        json = JSON.parse(stdout.trim().split('\n').at(-1)!);
      } catch {
        json = undefined;
      }
      done({ code, ms: performance.now() - start, peakMb, json });
    }),
  );
}

describe('CLI (dist/cli.js) with hostile model folders', () => {
  let root: string;
  let hostile: HostileModels;
  let baselineMb: number;

  before(async () => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
    root = mkdtempSync(join(tmpdir(), 'mnist-hostile-cli-'));
    hostile = await buildHostileModels(root);
    const healthy = await mnist(['summary', '--model', bundledModelDir()], 30_000);
    assert.equal(healthy.code, 0);
    baselineMb = healthy.peakMb;
  });
  after(async () => {
    await hostile?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('ends each run within 2 s with exit code 1 and a message naming the file, in bounded memory', async () => {
    assert.ok(hostile.models.length >= 30, `${hostile.models.length} hostile folders`);
    const failures: string[] = [];
    for (const [i, { name, dir, file, problem }] of hostile.models.entries()) {
      const command = COMMANDS[i % COMMANDS.length];
      const run = await mnist([...command, '--model', dir], DEADLINE_MS);
      const error = run.json?.error ?? '';
      const problems = [
        run.code !== 1 && `exit code ${run.code}${run.ms >= DEADLINE_MS ? ' (killed at the deadline)' : ''}`,
        !error.startsWith(`${file}: `) && `the error does not start with ${file}: ${error.slice(0, 300)}`,
        !problem.test(error) && `the error does not match ${problem}`,
        run.ms > DEADLINE_MS && `took ${Math.round(run.ms)} ms`,
        run.peakMb > baselineMb + MAX_GROWTH_MB &&
          `peak memory ${Math.round(run.peakMb)} MB (the bundled model: ${Math.round(baselineMb)} MB)`,
      ].filter(Boolean);
      if (problems.length) failures.push(`${name} (${command[0]}): ${problems.join('; ')}`);
    }
    assert.deepEqual(failures, []);
  });

  it('still classifies with the bundled model', async () => {
    const run = await mnist(['classify', SEVEN], 30_000);
    assert.equal(run.code, 0);
    assert.equal((run.json as { results: { digit: number }[] }).results[0].digit, 7);
  });
});
