import { BUNDLES, builtFile } from '../../src/engine/paths';
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readModelMetadata } from '../../src/engine/model/metadata';
import { defaultDataDir } from '../../src/engine/paths';
import { DEFAULT_TRAIN_OPTIONS } from '../../src/engine/training/trainOptions';
import { parseTrainerEvent, parseTrainerRequest, type TrainerEvent } from '../../src/engine/training/trainerProtocol';
import { TrainingRun, type StartRequest } from '../../src/extension/training/trainingRun';
import { NATIVE_DIR, TEST_BACKEND } from '../testBackend';

const trainerScript = builtFile(BUNDLES.trainer);

function request(outDir: string, options: Partial<StartRequest['options']> = {}): StartRequest {
  return {
    type: 'start',
    options: { ...DEFAULT_TRAIN_OPTIONS, epochs: 1, batchSize: 32, trainingSubset: 320, ...options },
    backend: TEST_BACKEND,
    nativeSearchPaths: [NATIVE_DIR],
    dataDir: defaultDataDir(),
    architecture: { builtIn: 'seed' },
    destination: { modelDir: outDir },
  };
}

describe('host ↔ training process protocol', () => {
  it('accepts well-formed messages and rejects malformed ones', () => {
    assert.ok(parseTrainerRequest(request('/tmp/x')));
    assert.ok(parseTrainerRequest({ type: 'cancel' }));
    assert.equal(parseTrainerRequest({ type: 'start' }), undefined);
    assert.equal(
      parseTrainerRequest({ ...request('/tmp/x'), options: { ...DEFAULT_TRAIN_OPTIONS, epochs: 0 } }),
      undefined,
    );
    assert.equal(
      parseTrainerRequest({ ...request('/tmp/x'), options: { ...DEFAULT_TRAIN_OPTIONS, learningRate: 'fast' } }),
      undefined,
    );
    assert.equal(parseTrainerRequest({ ...request('/tmp/x'), backend: 'gpu' }), undefined);
    assert.equal(parseTrainerRequest({ ...request('/tmp/x'), architecture: { builtIn: 'resnet' } }), undefined);
    assert.equal(parseTrainerRequest({ ...request('/tmp/x'), architecture: { model: '', fineTune: true } }), undefined);
    assert.ok(parseTrainerRequest({ ...request('/tmp/x'), architecture: { model: '/m.keras', fineTune: true } }));
    assert.ok(parseTrainerRequest({ ...request('/tmp/x'), destination: { runsDir: '/tmp/runs' } }));
    assert.equal(parseTrainerRequest('start'), undefined);
    assert.equal(parseTrainerRequest(null), undefined);
    assert.ok(
      parseTrainerEvent({
        type: 'batch',
        epoch: 1,
        epochs: 5,
        batch: 3,
        batches: 10,
        loss: 0.5,
        accuracy: 0.8,
        imagesPerSecond: 400,
      }),
    );
    assert.equal(
      parseTrainerEvent({
        type: 'batch',
        epoch: 1,
        epochs: 5,
        batch: 3,
        batches: 10,
        loss: NaN,
        accuracy: 0.8,
        imagesPerSecond: 400,
      }),
      undefined,
    );
    assert.equal(parseTrainerEvent({ type: 'epoch', result: { epoch: 1 } }), undefined);
    assert.equal(parseTrainerEvent({ type: 'explode' }), undefined);
  });
});

describe('training in a child process (dist/trainer.js)', () => {
  before(function () {
    if (!existsSync(trainerScript)) throw new Error(`${trainerScript} is missing: run npm run build first`);
  });

  it('trains, reports progress, and saves a model that carries its metadata', async () => {
    const outDir = join(mkdtempSync(join(tmpdir(), 'trainer-')), 'model');
    const events: TrainerEvent[] = [];
    const run = new TrainingRun(request(outDir), { trainerScript });
    run.on('event', (e) => events.push(e));
    const outcome = await run.finished;
    assert.equal(outcome.status, 'done', JSON.stringify(outcome));
    // On wasm with two or more cores, the trainer spreads the work over worker threads (dist/trainingWorker.js);
    // native TensorFlow uses its own threads in one process.
    const workers = TEST_BACKEND === 'wasm' ? Math.min(availableParallelism(), 4) : 1;
    if (outcome.status === 'done') assert.equal(outcome.event.workers, workers);
    assert.equal(events[0].type, 'backend');
    assert.equal(events[0].type === 'backend' && events[0].name, TEST_BACKEND);
    assert.ok(events.some((e) => e.type === 'batch'));
    assert.ok(events.some((e) => e.type === 'epoch'));
    const metadata = await readModelMetadata(outDir);
    assert.ok(metadata && metadata.testAccuracy! > 0.5, `saved model, test accuracy ${metadata?.testAccuracy}`);
    // 320 images with the default split of 0.1: 288 trained on, the last 32 held out for validation.
    assert.equal(metadata.trainingImages, 288);
    assert.equal(metadata.validationImages, 32);
  });

  it('stops within a second of cancel and saves nothing', async () => {
    const outDir = join(mkdtempSync(join(tmpdir(), 'trainer-')), 'model');
    const run = new TrainingRun(request(outDir, { epochs: 3, trainingSubset: 20000 }), { trainerScript });
    let cancelledAt = 0;
    run.on('event', (e) => {
      if (e.type === 'batch' && !cancelledAt) {
        cancelledAt = performance.now();
        run.cancel();
      }
    });
    const outcome = await run.finished;
    const stopSeconds = (performance.now() - cancelledAt) / 1000;
    assert.equal(outcome.status, 'cancelled');
    assert.ok(stopSeconds < 2, `stopped ${stopSeconds.toFixed(2)} s after cancel`);
    assert.equal(existsSync(join(outDir, 'model.json')), false);
  });

  it('reports a training process that dies (as under the OOM killer) without taking the host down', async () => {
    const outDir = join(mkdtempSync(join(tmpdir(), 'trainer-')), 'model');
    const run = new TrainingRun(request(outDir, { trainingSubset: 20000 }), { trainerScript });
    run.on('event', (e) => {
      if (e.type === 'batch') process.kill(run.pid!, 'SIGKILL');
    });
    const outcome = await run.finished;
    assert.deepEqual(outcome, { status: 'failed', message: 'the training process was killed (SIGKILL)' });
    assert.equal(existsSync(join(outDir, 'model.json')), false);
  });

  it('names a training option out of range, should one reach it', async () => {
    const run = new TrainingRun(request(join(tmpdir(), 'unused'), { batchSize: 5000 }), { trainerScript });
    const outcome = await run.finished;
    assert.equal(outcome.status, 'failed');
    assert.match((outcome as { message: string }).message, /batchSize must be an integer in \[1, 4096\] \(got 5000\)/);
  });

  it('fails clearly when the data folder is wrong', async () => {
    const outDir = join(mkdtempSync(join(tmpdir(), 'trainer-')), 'model');
    const run = new TrainingRun({ ...request(outDir), dataDir: join(tmpdir(), 'no-mnist-here') }, { trainerScript });
    const outcome = await run.finished;
    assert.equal(outcome.status, 'failed');
    assert.match((outcome as { message: string }).message, /train-images-idx3-ubyte: cannot be read \(ENOENT\)/);
  });
});

describe('training process that misbehaves', () => {
  const fixture = (name: string) => join('test', 'fixtures', 'trainers', name);

  it('fails the run, and kills the process, when it never answers the start request', async () => {
    const started = Date.now();
    const run = new TrainingRun(request(join(mkdtempSync(join(tmpdir(), 'trainer-')), 'model')), {
      trainerScript: fixture('silentTrainer.mjs'),
      startTimeoutMs: 1500,
    });
    const outcome = await run.finished;
    assert.deepEqual(outcome, {
      status: 'failed',
      message: 'the training process did not answer within 2 s of starting',
    });
    assert.ok(Date.now() - started < 10_000);
  });

  it('fails the run when the process exits without a final event', async () => {
    const run = new TrainingRun(request(join(mkdtempSync(join(tmpdir(), 'trainer-')), 'model')), {
      trainerScript: fixture('exitingTrainer.mjs'),
    });
    assert.deepEqual(await run.finished, {
      status: 'failed',
      message: 'the training process ended without reporting a result',
    });
  });
});
