// npm run bench:serve [-- --duration S] [--requests N] [serve options...]: the prediction server (dist/cli.js serve, in
// a process of its own) under autocannon, at 1 and at 16 connections, each POSTing a 280x280 PNG of a real MNIST digit
// as multipart (curl -F "image=@digit.png"): requests/s, p50 and p99 latency, and the server's memory. With
// --requests N, a run of N requests at 16 connections with the server's RSS after each tenth (memory stays flat).
// Options it does not know go to serve (e.g. --max-wait-ms 2, --backend tensorflow).
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { BUNDLES, builtFile } from '../../src/engine/paths';

const IMAGE = 'test/fixtures/png/two-rgb-280.png';
const BOUNDARY = '----mnist-bench';
const CONNECTIONS = [1, 16];

function option(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const [, value] = args.splice(at, 2);
  return Number(value);
}

const serveArgs = process.argv.slice(2);
const duration = option(serveArgs, '--duration', 10);
const requests = option(serveArgs, '--requests', 0);

const body = Buffer.concat([
  Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="image"; filename="digit.png"\r\nContent-Type: image/png\r\n\r\n`,
  ),
  readFileSync(IMAGE),
  Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
]);

interface Run {
  connections: number;
  requests_per_s: number;
  latency_ms_p50: number;
  latency_ms_p99: number;
  errors: number;
  non_2xx: number;
  server_rss_mb: number;
}

async function main(): Promise<void> {
  const server = spawn(process.execPath, [builtFile(BUNDLES.cli), 'serve', '--port', '0', '--json', ...serveArgs], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: server.stdout! }).once('line', (line) => resolve(JSON.parse(line).url));
    server.once('exit', (code) => reject(new Error(`serve exited (${code})`)));
  });
  const rssMb = () =>
    Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))![1]) / 1024);
  const load = () => loadavg()[0].toFixed(1);
  const fire = (connections: number, options: { duration?: number; amount?: number }) =>
    autocannon({
      url: `${url}predict`,
      method: 'POST',
      headers: { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` },
      body,
      connections,
      ...options,
    });
  try {
    process.stderr.write(`Server ${url}, load average ${load()}; warming up…\n`);
    await fire(4, { duration: 2 });
    const runs: Run[] = [];
    for (const connections of CONNECTIONS) {
      const result = await fire(connections, { duration });
      runs.push({
        connections,
        requests_per_s: Math.round(result.requests.average),
        latency_ms_p50: result.latency.p50,
        latency_ms_p99: result.latency.p99,
        errors: result.errors + result.timeouts,
        non_2xx: result.non2xx,
        server_rss_mb: rssMb(),
      });
      const r = runs.at(-1)!;
      process.stdout.write(
        `${connections} connection(s): ${r.requests_per_s} requests/s, p50 ${r.latency_ms_p50} ms, p99 ${r.latency_ms_p99} ms, errors ${r.errors}, non-2xx ${r.non_2xx}, server RSS ${r.server_rss_mb} MB (load ${load()})\n`,
      );
    }
    const memory: number[] = [];
    if (requests) {
      memory.push(rssMb());
      for (let tenth = 0; tenth < 10; tenth++) {
        const result = await fire(16, { amount: requests / 10 });
        if (result.non2xx || result.errors)
          throw new Error(`${result.non2xx} non-2xx answers, ${result.errors} errors`);
        memory.push(rssMb());
      }
      process.stdout.write(`Server RSS over ${requests} requests, every tenth: ${memory.join(' → ')} MB\n`);
    }
    process.stdout.write(JSON.stringify({ url, duration_s: duration, runs, rss_mb_per_tenth: memory }) + '\n');
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
  }
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
