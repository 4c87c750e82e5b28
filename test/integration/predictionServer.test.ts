// The prediction server, started for real on a free port with the bundled model: every endpoint's answers and errors,
// as curl, fetch and raw HTTP clients see them.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { closeSync, ftruncateSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DigitClassifier } from '../../src/engine/classifier';
import { loadMnist } from '../../src/engine/data/idx';
import { rawToMnistImage } from '../../src/engine/image/decodeImage';
import { IMAGE_LIMITS } from '../../src/engine/image/imageInput';
import { bundledModelDir, defaultDataDir } from '../../src/engine/paths';
import { predictDigit } from '../../src/engine/predict';
import { startPredictionServer, type PredictionServer } from '../../src/engine/serve/predictionServer';
import { IMAGE_SIDE, IMAGE_SIZE } from '../../src/shared/mnistImage';
import { SERVER_PATHS, type HealthAnswer, type PredictionAnswer } from '../../src/shared/predictionApi';
import { NATIVE_DIR, TEST_BACKEND } from '../testBackend';

const SEVEN = 'test/fixtures/png/seven-grey8.png';
const BOUNDARY = '----mnist-test-boundary';
const MB = 1024 * 1024;

const curl = promisify(execFile);

function newClassifier(): DigitClassifier {
  return new DigitClassifier(
    { path: bundledModelDir(), kind: 'bundled' },
    () => TEST_BACKEND,
    () => [NATIVE_DIR],
  );
}

/** The head of a multipart body whose field "image" holds a file, and its tail. */
function multipartParts(file = 'digit.png', type = 'image/png'): [Buffer, Buffer] {
  return [
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="image"; filename="${file}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ];
}

interface RawAnswer {
  status: number;
  headers: IncomingMessage['headers'];
  body: any;
  /** Bytes of the body the client had sent when the answer came. */
  sent: number;
}

/**
 * POSTs `chunks` one after another (each once the last has left), with `headers`; stops sending as soon as an answer
 * arrives. `end`: whether the body ends after the chunks (false: the client keeps the request open, then gives up).
 */
function rawPost(
  server: PredictionServer,
  headers: Record<string, string | number>,
  chunks: Iterable<Buffer>,
  end = true,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(`${server.url}${SERVER_PATHS.predict.slice(1)}`, { method: 'POST', headers }, (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        resolve({ status: res.statusCode!, headers: res.headers, body: text ? JSON.parse(text) : undefined, sent });
        req.destroy();
      });
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    const iterator = chunks[Symbol.iterator]();
    const next = () => {
      if (answered) return;
      const { value, done } = iterator.next();
      if (done) return void (end ? req.end() : undefined);
      sent += value.length;
      req.write(value, () => setImmediate(next));
    };
    next();
  });
}

/** `total` zero bytes in chunks of 1 MB. */
function* zeros(total: number): Generator<Buffer> {
  const chunk = Buffer.alloc(MB);
  for (let left = total; left > 0; left -= MB) yield left >= MB ? chunk : chunk.subarray(0, left);
}

async function postPixels(server: PredictionServer, pixels: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}predict`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ pixels }),
  });
  return { status: response.status, body: await response.json() };
}

function assertPredictionShape(answer: PredictionAnswer): void {
  assert.deepEqual(Object.keys(answer.probabilities), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  const values = Object.values(answer.probabilities);
  assert.ok(Math.abs(values.reduce((a, b) => a + b) - 1) < 1e-4, 'the probabilities sum to 1');
  assert.equal(answer.probability, answer.probabilities[String(answer.digit)]);
  assert.equal(answer.top3.length, 3);
  assert.equal(answer.top3[0].digit, answer.digit);
  assert.ok(answer.top3[0].probability >= answer.top3[1].probability);
  assert.ok(answer.top3[1].probability >= answer.top3[2].probability);
}

describe('prediction server (POST /predict, GET /health, /openapi.json, /)', function () {
  let server: PredictionServer;
  let classifier: DigitClassifier;
  let work: string;
  const mnist = () => loadMnist(defaultDataDir()).test;

  before(async () => {
    classifier = newClassifier();
    server = await startPredictionServer(classifier, { port: 0 });
    work = mkdtempSync(join(tmpdir(), 'mnist-serve-'));
  });

  after(async () => {
    await server?.close();
    classifier?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it('binds 127.0.0.1 unless told otherwise', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it("answers that project's curl line with the digit, its probability, the top 3 and all ten probabilities", async () => {
    const { stdout } = await curl('curl', ['-sS', '-X', 'POST', '-F', `image=@${SEVEN}`, `${server.url}predict`]);
    const answer: PredictionAnswer = JSON.parse(stdout);
    assert.equal(answer.digit, 7);
    assertPredictionShape(answer);
    assert.equal(answer.image, undefined, 'the image seen only when asked for');
  });

  it('classifies 784 pixels sent as JSON as Classify Digit prepares them (real MNIST test digits)', async () => {
    const test = mnist();
    for (let i = 0; i < 5; i++) {
      const pixels = Array.from(test.images.subarray(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE));
      const { status, body } = await postPixels(server, pixels);
      assert.equal(status, 200);
      assert.equal(body.digit, test.labels[i], `test image ${i}`);
      assertPredictionShape(body);
    }
  });

  it('adds the 28x28 image the model saw when asked (?image=1)', async () => {
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(readFileSync(SEVEN))], { type: 'image/png' }), 'seven.png');
    const response = await fetch(`${server.url}predict?image=1`, { method: 'POST', body: form });
    const answer = (await response.json()) as PredictionAnswer;
    assert.equal(Buffer.from(answer.image!, 'base64').length, IMAGE_SIZE);
  });

  it('reports health with the model and the backend', async () => {
    const response = await fetch(`${server.url}health`);
    const health = (await response.json()) as HealthAnswer;
    assert.equal(response.status, 200);
    assert.equal(health.status, 'ok');
    assert.equal(health.model, 'bundled');
    assert.equal(health.backend, TEST_BACKEND);
    assert.ok(health.testAccuracy! > 0.99);
  });

  it('describes every endpoint in /openapi.json', async () => {
    const doc = (await (await fetch(`${server.url}openapi.json`)).json()) as { openapi: string; paths: object };
    assert.match(doc.openapi, /^3\./);
    assert.deepEqual(
      Object.keys(doc.paths).sort(),
      Object.values(SERVER_PATHS)
        .filter((p) => p !== '/assets/')
        .sort(),
    );
  });

  it('serves the sketchpad page with a strict CSP and its script, and nothing else', async () => {
    const page = await fetch(server.url);
    assert.equal(page.status, 200);
    const csp = page.headers.get('content-security-policy')!;
    assert.match(csp, /default-src 'none'/);
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)![1];
    const html = await page.text();
    assert.ok(html.includes(`<script nonce="${nonce}" src="./assets/sketchpad.js">`));
    const script = await fetch(`${server.url}assets/sketchpad.js`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type')!, /javascript/);
    assert.ok((await script.text()).includes('acquireVsCodeApi'));
  });

  it('answers 404 (JSON) to unknown paths and to every path traversal', async () => {
    for (const path of [
      '/nope',
      '/assets/../package.json',
      '/assets/%2e%2e/package.json',
      '/assets/..%2fpackage.json',
      '/assets/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/../../../etc/passwd',
      '/assets/',
      '/assets/sketchpad.js/..',
      '//etc/passwd',
    ]) {
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(server.url, { path }, (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        });
        req.on('error', reject);
        req.end();
      });
      assert.equal(answer.status, 404, path);
      assert.ok(JSON.parse(answer.body).error, path);
    }
  });

  it('answers 405 with Allow to the wrong method', async () => {
    const response = await fetch(`${server.url}predict`);
    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'POST');
  });

  it('answers 415 to a body that is neither multipart nor JSON', async () => {
    for (const type of ['text/plain', 'image/png', '']) {
      const response = await fetch(`${server.url}predict`, {
        method: 'POST',
        headers: type ? { 'Content-Type': type } : {},
        body: new Uint8Array(readFileSync(SEVEN)),
      });
      assert.equal(response.status, 415, type);
      assert.match(((await response.json()) as { error: string }).error, /multipart\/form-data/);
    }
  });

  it('answers 400 to what is not an image, 422 to an image without a digit', async () => {
    const post = async (bytes: Buffer, name: string) => {
      const form = new FormData();
      form.append('image', new Blob([new Uint8Array(bytes)]), name);
      const response = await fetch(`${server.url}predict`, { method: 'POST', body: form });
      return { status: response.status, error: ((await response.json()) as { error: string }).error };
    };
    assert.deepEqual(await post(Buffer.from('not an image at all'), 'notes.txt'), {
      status: 400,
      error: 'notes.txt: is not a PNG or JPEG image',
    });
    const truncated = await post(readFileSync('test/fixtures/png/truncated.png'), 'truncated.png');
    assert.equal(truncated.status, 400);
    assert.match(truncated.error, /^truncated\.png: is a damaged PNG/);
    const blank = await post(readFileSync('test/fixtures/png/blank.png'), 'blank.png');
    assert.equal(blank.status, 422);
    assert.match(blank.error, /no digit found/);
  });

  it('answers 400 to bad JSON bodies, naming the problem', async () => {
    assert.equal((await postPixels(server, [1, 2, 3])).status, 400);
    assert.match((await postPixels(server, [1, 2, 3])).body.error, /784/);
    const outOfRange = Array(IMAGE_SIZE).fill(0);
    outOfRange[5] = 256;
    assert.match((await postPixels(server, outOfRange)).body.error, /pixels\.5/);
    const response = await fetch(`${server.url}predict`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"pixels": [1, 2',
    });
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as { error: string }).error, /not valid JSON/);
  });

  it('answers 400 when the multipart body has no field "image", or is cut short', async () => {
    const form = new FormData();
    form.append('picture', new Blob([new Uint8Array(readFileSync(SEVEN))]), 'seven.png');
    const missing = await fetch(`${server.url}predict`, { method: 'POST', body: form });
    assert.equal(missing.status, 400);
    assert.match(((await missing.json()) as { error: string }).error, /field "image"/);

    // The whole request arrives (its Content-Length is right), but the body stops inside the image.
    const [head] = multipartParts();
    const cut = Buffer.concat([head, readFileSync(SEVEN).subarray(0, 100)]);
    const answer = await rawPost(
      server,
      { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`, 'Content-Length': cut.length },
      [cut],
    );
    assert.equal(answer.status, 400);
    assert.match(answer.body.error, /multipart/);
  });

  it('survives a client that hangs up in the middle of its body', async () => {
    const [head] = multipartParts();
    await new Promise<void>((resolve) => {
      const req = request(`${server.url}predict`, {
        method: 'POST',
        headers: { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`, 'Content-Length': 10_000 },
      });
      req.on('error', () => resolve());
      req.write(Buffer.concat([head, readFileSync(SEVEN).subarray(0, 50)]), () => {
        req.destroy();
        resolve();
      });
    });
    const { stdout } = await curl('curl', ['-sS', '-F', `image=@${SEVEN}`, `${server.url}predict`]);
    assert.equal(JSON.parse(stdout).digit, 7);
  });

  it('answers 413 to a 40 MB upload before reading its body: from Content-Length, and from the bytes when chunked', async () => {
    const [head, tail] = multipartParts('big.png');
    const total = 40 * MB;
    const declared = await rawPost(
      server,
      {
        'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`,
        'Content-Length': head.length + total + tail.length,
      },
      [head, ...zeros(total), tail],
    );
    assert.equal(declared.status, 413);
    assert.match(declared.body.error, /40\.1 MB; the limit is 25 MB/);
    assert.ok(declared.sent < total, `answered after ${declared.sent} of ${total} bytes`);

    const chunked = await rawPost(
      server,
      { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`, 'Transfer-Encoding': 'chunked' },
      [head, ...zeros(total), tail],
    );
    assert.equal(chunked.status, 413);
    assert.ok(chunked.sent < total, `answered after ${chunked.sent} of ${total} bytes`);
    assert.ok(chunked.sent > IMAGE_LIMITS.maxBytes, 'the limit is the image limit');
  });

  it("answers curl's 40 MB upload with 413 before curl sends it (Expect: 100-continue)", async () => {
    const big = join(work, 'big.png');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, 40 * MB); // sparse: takes no room on disk
    closeSync(fd);
    const { stdout } = await curl('curl', [
      '-sS',
      '-w',
      '\\n%{http_code} %{size_upload}',
      '-F',
      `image=@${big}`,
      `${server.url}predict`,
    ]);
    const [body, figures] = stdout.trim().split('\n');
    const [status, uploaded] = figures.split(' ').map(Number);
    assert.equal(status, 413);
    assert.match(JSON.parse(body).error, /the limit is 25 MB/);
    assert.ok(uploaded < MB, `curl uploaded ${uploaded} bytes`);
  });

  it('gives a request that never finishes its body a 408 after the request timeout', async () => {
    const impatient = await startPredictionServer(classifier, { port: 0, requestTimeoutMs: 300 });
    try {
      const [head] = multipartParts();
      const answer = await rawPost(
        impatient,
        { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`, 'Content-Length': 10_000 },
        [head],
        false,
      );
      assert.equal(answer.status, 408);
      assert.match(answer.body.error, /not received within 300 ms/);
    } finally {
      await impatient.close();
    }
  });

  it('batches concurrent requests into fewer model calls, with the answers of single calls', async () => {
    const batching = await startPredictionServer(classifier, { port: 0, maxWaitMs: 50, maxBatch: 16 });
    try {
      const test = mnist();
      const count = 48;
      const images = Array.from({ length: count }, (_, i) =>
        Array.from(test.images.subarray(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE)),
      );
      const answers = await Promise.all(images.map((pixels) => postPixels(batching, pixels)));
      const { model } = await classifier.activeModel();
      answers.forEach(({ status, body }, i) => {
        assert.equal(status, 200);
        const data = Uint8Array.from(images[i]);
        const alone = predictDigit(
          model,
          rawToMnistImage({ data, width: IMAGE_SIDE, height: IMAGE_SIDE, channels: 1 }, 'x').pixels,
        );
        assert.equal(body.digit, alone.digit, `image ${i}`);
        alone.probabilities.forEach((p, d) =>
          assert.ok(Math.abs(body.probabilities[d] - p) < 1e-5, `image ${i}, digit ${d}`),
        );
      });
      const { batches, images: served, largestBatch } = batching.batcher.stats;
      assert.equal(served, count);
      assert.ok(batches < count, `${count} images in ${batches} model calls`);
      assert.ok(largestBatch > 1 && largestBatch <= 16, `largest batch ${largestBatch}`);
    } finally {
      await batching.close();
    }
  });

  it('answers 503 with Retry-After when the queue is full', async () => {
    const small = await startPredictionServer(classifier, { port: 0, maxQueue: 2, maxWaitMs: 1000, maxBatch: 64 });
    try {
      const pixels = Array.from(mnist().images.subarray(0, IMAGE_SIZE));
      const responses = await Promise.all(
        Array.from({ length: 6 }, () =>
          fetch(`${small.url}predict`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ pixels }),
          }),
        ),
      );
      const statuses = responses.map((r) => r.status).sort();
      assert.deepEqual(statuses, [200, 200, 503, 503, 503, 503]);
      const busy = responses.find((r) => r.status === 503)!;
      assert.equal(busy.headers.get('retry-after'), '1');
      assert.match(((await busy.json()) as { error: string }).error, /busy/);
    } finally {
      await small.close();
    }
  });
});
