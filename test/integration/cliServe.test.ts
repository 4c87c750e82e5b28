// npm run mnist -- serve, as a real process: it says where it listens, warns when it listens beyond this machine, and
// on SIGTERM or SIGINT answers every request under way before it exits.
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { CLI_BACKEND_ARGS } from '../testBackend';
import { cli, requireBuiltCli } from './runCli';

const SEVEN = readFileSync('test/fixtures/png/seven-grey8.png');
const BOUNDARY = '----mnist-cli-serve';
const BODY = Buffer.concat([
  Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="image"; filename="seven.png"\r\nContent-Type: image/png\r\n\r\n`,
  ),
  SEVEN,
  Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
]);

interface Served {
  process: ChildProcess;
  url: string;
  stderr: string[];
  /** stdout's lines, the first being {"url", "port"}. */
  stdout: string[];
  exited: Promise<number | null>;
}

/** Starts `serve --json` on a free port and resolves once it listens. */
function serve(...args: string[]): Promise<Served> {
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--json', ...CLI_BACKEND_ARGS, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  const stdout: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      stdout.push(line);
      if (stdout.length === 1) resolve({ process: child, url: JSON.parse(line).url, stderr, stdout, exited });
    });
    void exited.then((code) => reject(new Error(`serve exited (${code}) before listening: ${stderr.join('\n')}`)));
  });
}

/** One POST of the seven on a connection of its own; `sent` resolves once the whole request has left. */
function predictOnce(url: string): { sent: Promise<void>; answer: Promise<{ status: number; digit?: number }> } {
  let markSent!: () => void;
  const sent = new Promise<void>((resolve) => (markSent = resolve));
  const answer = new Promise<{ status: number; digit?: number }>((resolve, reject) => {
    const req = request(
      `${url}predict`,
      {
        method: 'POST',
        agent: false,
        headers: { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`, 'Content-Length': BODY.length },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, digit: JSON.parse(text).digit }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(BODY, markSent);
  });
  return { sent, answer };
}

describe('CLI serve (dist/cli.js serve)', () => {
  before(() => requireBuiltCli());

  it('answers every request under way when stopped with SIGTERM, then exits cleanly', async () => {
    // Images wait up to 50 ms for companions: some are still queued, not yet in a model call, when the signal comes.
    const served = await serve('--max-wait-ms', '50');
    const requests = Array.from({ length: 64 }, () => predictOnce(served.url));
    let answeredBeforeStop = 0;
    requests.forEach(
      (r) =>
        void r.answer.then(
          () => answeredBeforeStop++,
          () => undefined,
        ),
    );
    await Promise.all(requests.map((r) => r.sent));
    const underWay = 64 - answeredBeforeStop;
    served.process.kill('SIGTERM');
    const answers = await Promise.allSettled(requests.map((r) => r.answer));
    const code = await served.exited;
    const lost = answers.filter((a) => a.status === 'rejected');
    assert.equal(lost.length, 0, `lost: ${lost.map((a) => (a as PromiseRejectedResult).reason).join(', ')}`);
    for (const a of answers) assert.deepEqual((a as PromiseFulfilledResult<unknown>).value, { status: 200, digit: 7 });
    assert.equal(code, 0, served.stderr.join('\n'));
    const summary = JSON.parse(served.stdout.at(-1)!);
    assert.equal(summary.served.images, 64);
    assert.ok(underWay > 0, 'the signal came while requests were under way');
  });

  it('warns when it listens beyond 127.0.0.1, and stops on SIGINT', async () => {
    const served = await serve('--host', '0.0.0.0');
    assert.ok(
      served.stderr.some((line) => /^Warning: listening on 0\.0\.0\.0: other machines/.test(line)),
      served.stderr.join('\n'),
    );
    served.process.kill('SIGINT');
    assert.equal(await served.exited, 0);
  });

  it('refuses a bad port with a usage error', async () => {
    const child = spawn(process.execPath, [cli, 'serve', '--port', '70000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(code, 2);
    assert.match(stderr, /--port must be a whole number from 0 to 65535/);
  });
});
