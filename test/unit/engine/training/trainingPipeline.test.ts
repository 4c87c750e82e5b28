// The one training run behind the CLI and the training process, end to end on real MNIST: what it saves.
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NATIVE_DIR, startTestBackend, TEST_BACKEND } from '../../../testBackend';
import { METADATA_FILE, MODEL_FILE, readModelMetadata } from '../../../../src/engine/model/metadata';
import { loadModel } from '../../../../src/engine/model/storage';
import { bundledModelDir, defaultDataDir } from '../../../../src/engine/paths';
import { ARCHITECTURE_LAYOUTS } from '../../../../src/engine/model/architecture';
import { listRuns } from '../../../../src/engine/runs/runStore';
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
    architecture: { builtIn: 'seed' },
    destination: { modelDir: outDir },
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

  it('keeps a run in its own folder of a runs folder, recording its architecture; a cancelled run leaves nothing', async () => {
    const runsDir = newDir();
    const quick = { ...request(runsDir).options, epochs: 1, batchSize: 32, trainingSubset: 320 };
    const kept = await trainEvaluateSave({
      ...request(runsDir),
      options: quick,
      architecture: { builtIn: 'mlp' },
      destination: { runsDir },
    });
    assert.match(kept.runId!, /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-mlp$/);
    assert.equal(kept.modelDir, join(runsDir, kept.runId!));
    const [run] = await listRuns(runsDir);
    assert.equal(run.id, kept.runId);
    assert.equal(run.metadata?.architectureName, 'mlp');
    assert.equal(run.metadata?.architecture, ARCHITECTURE_LAYOUTS.mlp);
    assert.equal(run.metadata?.parameters, 101_770);
    assert.equal(run.metadata?.testAccuracy, kept.evaluation.accuracy);

    const controller = new AbortController();
    await assert.rejects(
      trainEvaluateSave(
        { ...request(runsDir), options: quick, destination: { runsDir } },
        { signal: controller.signal, onEvaluating: () => controller.abort() },
      ),
      TrainingCancelledError,
    );
    assert.deepEqual(readdirSync(runsDir), [kept.runId]);
  });

  it("trains a saved model's architecture from scratch, or on from its weights", async () => {
    const runsDir = newDir();
    const options = { ...request(runsDir).options, epochs: 1, batchSize: 32, trainingSubset: 640 };
    const bundled = bundledModelDir();
    const fresh = await trainEvaluateSave({
      ...request(runsDir),
      options,
      architecture: { model: bundled, fineTune: false },
      destination: { runsDir },
    });
    const tuned = await trainEvaluateSave({
      ...request(runsDir),
      options,
      architecture: { model: bundled, fineTune: true },
      destination: { runsDir },
    });
    assert.equal(fresh.metadata.architectureName, 'active');
    assert.equal(tuned.metadata.architectureName, 'fine-tune');
    assert.equal(tuned.metadata.startedFrom, bundled);
    assert.equal(tuned.parameters, 93_322);
    // 640 images from random weights do not reach what the bundled model's weights start with.
    assert.ok(tuned.evaluation.accuracy > 0.98, `fine-tuned: ${tuned.evaluation.accuracy}`);
    assert.ok(fresh.evaluation.accuracy < 0.95, `from scratch: ${fresh.evaluation.accuracy}`);
    const { model } = await loadModel(tuned.modelDir);
    assert.deepEqual(
      model.layers.map((layer) => layer.name),
      ['conv2d', 'max_pooling2d', 'conv2d_1', 'max_pooling2d_1', 'conv2d_2', 'flatten', 'dense', 'dense_1'],
    );
    disposeModel(model);
  });

  it('thins out a trace evenly, keeping the first and last points', () => {
    const points = Array.from({ length: 1001 }, (_, i) => i);
    const thinned = downsample(points, 5);
    assert.deepEqual(thinned, [0, 250, 500, 750, 1000]);
    assert.deepEqual(downsample([1, 2, 3], 5), [1, 2, 3]);
  });
});
