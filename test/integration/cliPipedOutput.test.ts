// The CLI's output reaches a pipe whole: `classify <thousands of PNGs> --json | tail -1` used to get only the first
// 64 KiB of the JSON line, because the process exited while the pipe still held the rest.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BUNDLES, builtFile } from '../../src/engine/paths';

const cli = builtFile(BUNDLES.cli);
const SEVEN = resolve('test/fixtures/png/seven-grey8.png');
const FILES = 2000; // about 200 bytes of JSON each: some 400 KB, far more than a pipe and Node's buffer hold

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI with stdout and stderr as pipes, reading stderr as it comes but stdout only once the CLI has classified
 * every file and has had a second to write its JSON, so the pipe is full when the CLI comes to its end.
 */
function runWithSlowReader(args: string[], files: number): Promise<Run> {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const stdout: Buffer[] = [];
  child.stdout.pause(); // kept by the listener below: Node resumes a child's unread output when the child exits
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const classifiedAll = new Promise<void>((done) =>
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.split(' → ').length > files) done();
    }),
  );
  void Promise.race([exited, classifiedAll.then(() => sleep(1000))]).then(() => child.stdout.resume());
  return new Promise((done, fail) => {
    child.once('error', fail);
    child.once('close', (code) => done({ code, stdout: Buffer.concat(stdout).toString(), stderr }));
  });
}

const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

describe('CLI (dist/cli.js) output into a pipe', () => {
  let dir: string;

  before(() => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
    dir = mkdtempSync(join(tmpdir(), 'mnist-pipe-'));
    for (let i = 0; i < FILES; i++) copyFileSync(SEVEN, join(dir, `${i}.png`));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(`classify ${FILES} PNGs --json: the whole JSON line arrives, one result per file`, async () => {
    const files = Array.from({ length: FILES }, (_, i) => join(dir, `${i}.png`));
    const { code, stdout, stderr } = await runWithSlowReader(['classify', ...files, '--json'], FILES);
    assert.equal(code, 0, stderr.slice(-2000));
    const last = stdout.trimEnd().split('\n').at(-1)!;
    let json: { results: { file: string; digit: number }[] };
    try {
      json = JSON.parse(last);
    } catch (err) {
      throw new Error(`the last line (${last.length} bytes of ${stdout.length} read) is not JSON: ${err}`);
    }
    assert.equal(json.results.length, FILES);
    assert.deepEqual(
      json.results.map((r) => r.file),
      files,
    );
    assert.ok(
      json.results.every((r) => r.digit === 7),
      'every copy of the 7 is a 7',
    );
  });
});
