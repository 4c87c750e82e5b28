import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CLI_BACKEND_ARGS, TEST_BACKEND } from '../testBackend';
import { requireBuiltCli, runCli, type CliRun } from './runCli';

const fixtures = resolve('test/fixtures/png');

interface Manifest {
  digits: { file: string; label: number; format: string }[];
}

function mnist(...args: string[]): Promise<CliRun> {
  return mnistWithEnv({}, ...args);
}

function mnistWithEnv(env: Record<string, string>, ...args: string[]): Promise<CliRun> {
  return runCli([...args, ...CLI_BACKEND_ARGS], { env });
}

describe('CLI (dist/cli.js) with the bundled model', () => {
  before(() => {
    requireBuiltCli();
  });

  it('classifies real MNIST digits saved in every PNG format', async () => {
    const manifest: Manifest = JSON.parse(readFileSync(join(fixtures, 'manifest.json'), 'utf8'));
    const files = manifest.digits.map((d) => join(fixtures, d.file));
    const { code, json } = await mnist('classify', ...files, '--json');
    assert.equal(code, 0);
    assert.equal(json.results.length, files.length);
    manifest.digits.forEach((digit, i) => {
      const result = json.results[i];
      assert.equal(result.digit, digit.label, `${digit.file} (${digit.format})`);
      assert.equal(result.top3.length, 3);
      assert.ok(result.top3[0].probability > 0.5);
    });
  });

  it('classifies camera-like JPEGs (baseline, progressive, turned by their EXIF orientation)', async () => {
    const jpegs = resolve('test/fixtures/jpeg');
    const photos: { file: string; label: number }[] = JSON.parse(
      readFileSync(join(jpegs, 'manifest.json'), 'utf8'),
    ).photos;
    const { code, json } = await mnist('classify', ...photos.map((p) => join(jpegs, p.file)), '--json');
    assert.equal(code, 0);
    photos.forEach((photo, i) => assert.equal(json.results[i].digit, photo.label, photo.file));
  });

  it('reports each bad file clearly, still classifies the rest, and exits non-zero', async () => {
    const bad = ['corrupt.png', 'empty.png', 'not-a-png.png', 'blank.png', 'missing.png'].map((f) => join(fixtures, f));
    const { code, json, stderr } = await mnist('classify', join(fixtures, 'seven-grey8.png'), ...bad, '--json');
    assert.equal(code, 1);
    assert.equal(json.results[0].digit, 7);
    const errors = json.results.slice(1).map((r: { error: string }) => r.error);
    assert.match(errors[0], /^corrupt\.png: /);
    assert.match(errors[1], /^empty\.png: the file is empty/);
    assert.match(errors[2], /^not-a-png\.png: .*not a PNG/);
    assert.match(errors[3], /^blank\.png: no digit found/);
    assert.match(errors[4], /^missing\.png: file not found/);
    assert.match(stderr, /corrupt\.png: error:/);
  });

  it('summarises the bundled model: the seed CNN layers and parameter counts', async () => {
    const { code, json } = await mnist('summary', '--json');
    assert.equal(code, 0);
    assert.deepEqual(
      json.layers.map((l: { type: string }) => l.type),
      ['Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Conv2D', 'Flatten', 'Dense', 'Dense'],
    );
    assert.deepEqual(
      json.layers.map((l: { name: string }) => l.name),
      ['conv2d', 'max_pooling2d', 'conv2d_1', 'max_pooling2d_1', 'conv2d_2', 'flatten', 'dense', 'dense_1'],
    );
    assert.equal(json.totalParameters, 93322);
    assert.ok(json.metadata.testAccuracy >= 0.992, `bundled model accuracy ${json.metadata.testAccuracy}`);
    // Trained on 60,000 images with a validation split of 0.1.
    assert.equal(json.metadata.trainingImages, 54000);
    assert.equal(json.metadata.validationImages, 6000);
  });

  it('evaluates with --limit and reports accuracy, loss, n and backend', async () => {
    const { code, json } = await mnist('evaluate', '--limit', '1000', '--json');
    assert.equal(code, 0);
    assert.equal(json.n, 1000);
    assert.equal(json.backend, TEST_BACKEND);
    assert.ok(json.accuracy > 0.98 && json.accuracy <= 1, `accuracy ${json.accuracy}`);
    assert.ok(json.loss > 0 && json.loss < 0.1);
  });

  it(`trains in one thread (${TEST_BACKEND === 'wasm' ? 'on the threaded wasm build, its SIMD kernels on shared memory' : 'native TensorFlow'}) and learns`, async () => {
    const out = mkdtempSync(join(tmpdir(), 'mnist-cli-'));
    try {
      const { code, json, stderr } = await mnistWithEnv(
        { MNIST_TRAINING_WORKERS: '1' },
        'train',
        '--epochs',
        '1',
        '--limit',
        '2000',
        '--seed',
        '1',
        '--out',
        out,
        '--json',
      );
      assert.equal(code, 0, stderr);
      assert.equal(json.workers, 1);
      assert.equal(json.backend, TEST_BACKEND);
      assert.ok(json.accuracy > 0.6, `test accuracy after 2,000 images: ${json.accuracy}`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('rejects unknown commands and bad options with usage help', async () => {
    const { code, stderr } = await runCli(['fly']);
    assert.equal(code, 2);
    assert.match(stderr, /unknown command "fly"/);
    const bad = await runCli(['train', '--epochs', 'many']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--epochs must be an integer in \[1, 1000\] \(got "many"\)/);
    const tooBig = await runCli(['train', '--batch-size', '5000']);
    assert.equal(tooBig.code, 2);
    assert.match(tooBig.stderr, /--batch-size must be an integer in \[1, 4096\] \(got 5000\)/);
    const badBackend = await runCli(['summary', '--backend', 'gpu']);
    assert.equal(badBackend.code, 2);
    assert.match(badBackend.stderr, /--backend must be one of auto, tensorflow, wasm, cpu \(got "gpu"\)/);
  });
});
