// The one training run behind the CLI and the training process, end to end on real MNIST: what it saves.
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NATIVE_DIR, startTestBackend, TEST_BACKEND } from '../../../testBackend';
import { METADATA_FILE, MODEL_FILE, readModelMetadata } from '../../../../src/engine/model/metadata';
import { loadModel } from '../../../../src/engine/model/storage';
import { defaultDataDir } from '../../../../src/engine/paths';
import { downsample, MAX_SAVED_BATCH_POINTS } from '../../../../src/engine/training/batchLoss';
import { disposeModel, TrainingCancelledError } from '../../../../src/engine/training/train';
import {
  trainEvaluateSave,
  type TrainingOutcome,
  type TrainingRequest,
} from '../../../../src/engine/training/trainingPipeline';
import { DEFAULT_TRAIN_OPTIONS } from '../../../../src/engine/training/trainOptions';

describe(`training pipeline: train → evaluate → record → save (${TEST_BACKEND} backend, real MNIST)`, () => {
  // 2 epochs of 300 batches of 3: more batches than a saved model keeps points of.
  const request = (outDir: string): TrainingRequest => ({
    options: { ...DEFAULT_TRAIN_OPTIONS, epochs: 2, batchSize: 3, trainingSubset: 1000, validationSplit: 0.1 },
    backend: TEST_BACKEND,
    nativeSearchPaths: [NATIVE_DIR],
    dataDir: defaultDataDir(),
    outDir,
  });
  const newDir = () => join(mkdtempSync(join(tmpdir(), 'pipeline-')), 'model');
  let outDir: string;
  let outcome: TrainingOutcome;

  before(async () => {
    await startTestBackend();
    outDir = newDir();
    outcome = await trainEvaluateSave(request(outDir));
  });

  it('saves a model that loads, with its test figures and its split on record', async () => {
    const metadata = (await readModelMetadata(outDir))!;
    assert.equal(metadata.testAccuracy, outcome.evaluation.accuracy);
    assert.equal(outcome.evaluation.n, 10000);
    assert.equal(metadata.epochsRun, 2);
    assert.deepEqual([metadata.trainingImages, metadata.validationImages], [900, 100]);
    assert.ok(existsSync(join(outDir, METADATA_FILE)));
    const { model } = await loadModel(outDir);
    disposeModel(model);
  });

  it('records the loss batch by batch for the training chart, at most 500 points over the whole run', async () => {
    const trace = (await readModelMetadata(outDir))!.batchLoss!;
    assert.ok(trace.length > 0 && trace.length <= MAX_SAVED_BATCH_POINTS, `${trace.length} points`);
    assert.equal(trace.length, MAX_SAVED_BATCH_POINTS, '600 batches are thinned out to 500 points');
    for (let i = 1; i < trace.length; i++) assert.ok(trace[i].x > trace[i - 1].x, `x increases at ${i}`);
    assert.ok(trace.every((p) => Number.isFinite(p.loss) && p.loss > 0));
    // x is the fractional epoch, as on the live chart: the first batch of 300 at 1/300, the run's end at 2.
    assert.equal(trace[0].x, 1 / 300);
    assert.equal(trace.at(-1)!.x, 2);
    // Each epoch's last point is the epoch's training loss.
    assert.equal(trace.at(-1)!.loss, outcome.history[1].loss);
  });

  it('saves nothing when cancelled during the test-set evaluation', async () => {
    const dir = newDir();
    const controller = new AbortController();
    const options = { ...request(dir).options, epochs: 1, batchSize: 32, trainingSubset: 320 };
    await assert.rejects(
      trainEvaluateSave(
        { ...request(dir), options },
        { signal: controller.signal, onEvaluating: () => controller.abort() },
      ),
      TrainingCancelledError,
    );
    assert.equal(existsSync(join(dir, MODEL_FILE)), false);
  });

  it('thins out a trace evenly, keeping the first and last points', () => {
    const points = Array.from({ length: 1001 }, (_, i) => i);
    const thinned = downsample(points, 5);
    assert.deepEqual(thinned, [0, 250, 500, 750, 1000]);
    assert.deepEqual(downsample([1, 2, 3], 5), [1, 2, 3]);
  });
});
