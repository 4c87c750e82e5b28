// Training monitor or saved model → chart data, the chart summaries and the stats line.
import { strict as assert } from 'node:assert';
import { readModelMetadata, type ModelMetadata } from '../../../src/engine/model/metadata';
import { bundledModelDir } from '../../../src/engine/paths';
import { trainingView } from '../../../src/extension/panels/trainingChartData';
import { TrainingMonitor } from '../../../src/extension/training/trainingMonitor';
import {
  batchSeries,
  chartSummaries,
  epochAxis,
  epochSeries,
  showsBatchChart,
  trainingStats,
} from '../../../src/webview/trainingChart/trainingChartLayout';
import { formatDuration } from '../../../src/shared/format';

/** No active model (or one whose metadata has no history). */
const noModel = () => undefined;

const epoch = (n: number, withValidation = true) => ({
  epoch: n,
  epochs: 3,
  loss: 1 / n,
  accuracy: 0.9 + n / 100,
  imagesPerSecond: 2000,
  seconds: 10,
  ...(withValidation ? { valLoss: 1.1 / n, valAccuracy: 0.89 + n / 100 } : {}),
});

function runningMonitor(): TrainingMonitor {
  const monitor = new TrainingMonitor();
  monitor.start(3, 32);
  monitor.record({
    type: 'batch',
    epoch: 1,
    epochs: 3,
    batch: 100,
    batches: 100,
    loss: 0.5,
    accuracy: 0.8,
    imagesPerSecond: 1600,
  });
  monitor.record({ type: 'epoch', result: epoch(1) });
  monitor.record({
    type: 'batch',
    epoch: 2,
    epochs: 3,
    batch: 50,
    batches: 100,
    loss: 0.25,
    accuracy: 0.9,
    imagesPerSecond: 1600,
  });
  return monitor;
}

describe('training chart data', () => {
  it('turns the monitor snapshot into what the chart webview gets', () => {
    const training = trainingView(runningMonitor().current, noModel);
    assert.equal(training.running, true);
    assert.equal(training.epoch, 2);
    assert.equal(training.epochs, 3);
    assert.deepEqual(training.batchLoss, [
      { x: 1, loss: 0.5 },
      { x: 1.5, loss: 0.25 },
    ]);
    assert.equal(training.history.length, 1);
    assert.ok(!('imagesPerSecond' in training.history[0]), 'only what the chart draws goes over the wire');
    // 1.5 epochs of 100 batches of 32 left at 1600 images/s
    assert.equal(training.etaSeconds, 3);
  });

  it('plots loss and accuracy (in %) per epoch, with validation only where there was one', () => {
    const series = epochSeries([epoch(1), epoch(2, false)]);
    assert.deepEqual(series.loss, [
      { x: 1, y: 1 },
      { x: 2, y: 0.5 },
    ]);
    assert.deepEqual(series.valLoss, [{ x: 1, y: 1.1 }]);
    assert.equal(series.accuracy[1].y.toFixed(2), '92.00');
    assert.equal(series.valAccuracy.length, 1);
    assert.deepEqual(batchSeries([{ x: 0.5, loss: 2 }]), [{ x: 0.5, y: 2 }]);
  });

  it('fixes the epoch axis to the whole run so the chart does not jump every epoch', () => {
    const training = trainingView(runningMonitor().current, noModel);
    assert.deepEqual(epochAxis(training), { min: 0, max: 3 });
    assert.deepEqual(epochAxis({ ...training, epochs: 0, history: [] }), { min: 0, max: 1 });
  });

  it('shows epoch, time left and speed while running, dashes when idle', () => {
    const monitor = runningMonitor();
    assert.deepEqual(trainingStats(trainingView(monitor.current, noModel)), {
      epochName: 'Epoch',
      epoch: '2 / 3',
      eta: '3 s',
      speed: '1,600 images/s',
    });
    monitor.record({ type: 'epoch', result: epoch(2) });
    monitor.finish('Stopped.');
    assert.deepEqual(trainingStats(trainingView(monitor.current, noModel)), {
      epochName: 'Last run',
      epoch: '2 epochs trained',
      eta: '—',
      speed: '—',
    });
    assert.deepEqual(trainingStats(trainingView(new TrainingMonitor().current, noModel)), {
      epochName: 'Epoch',
      epoch: '—',
      eta: '—',
      speed: '—',
    });
  });

  it('summarises each chart in words', () => {
    const monitor = runningMonitor();
    assert.deepEqual(chartSummaries(trainingView(monitor.current, noModel)), {
      loss: 'Epoch 1: training loss 1.0000, validation loss 1.1000.',
      accuracy: 'Epoch 1: training accuracy 91.00%, validation accuracy 90.00%.',
      batch: '2 points; latest batch loss 0.2500.',
    });
    assert.deepEqual(chartSummaries(trainingView(new TrainingMonitor().current, noModel)), {
      loss: 'No finished epoch yet.',
      accuracy: 'No finished epoch yet.',
      batch: 'No batches yet.',
    });
  });

  it('formats durations', () => {
    assert.equal(formatDuration(44.6), '45 s');
    assert.equal(formatDuration(185), '3 min 05 s');
    assert.equal(formatDuration(3720), '1 h 02 min');
    assert.equal(formatDuration(undefined), '—');
    assert.equal(formatDuration(Number.POSITIVE_INFINITY), '—');
  });
});

describe('training chart of a saved model', () => {
  /** The bundled model: 19 epochs trained (early stopping), no batch losses recorded. */
  let bundled: ModelMetadata;
  /** 20 points an epoch, as a newer model's metadata keeps them (at most 500). */
  const batchLoss = Array.from({ length: 19 * 20 }, (_, i) => ({ x: (i + 1) / 20, loss: 1 / (i + 1) }));
  let withBatches: ModelMetadata;
  before(async () => {
    bundled = (await readModelMetadata(bundledModelDir()))!;
    withBatches = { ...bundled, batchLoss };
  });

  it("before any run, shows the active model's epochs and its batch losses, on an axis to its last epoch", () => {
    const training = trainingView(new TrainingMonitor().current, () => withBatches);
    assert.equal(training.saved, true);
    assert.equal(training.running, false);
    assert.equal(training.history.length, 19);
    assert.deepEqual(training.batchLoss, batchLoss);
    assert.ok(showsBatchChart(training));
    assert.equal(batchSeries(training.batchLoss).length, 380);
    assert.deepEqual(epochAxis(training), { min: 0, max: 19 });
    assert.equal(chartSummaries(training).batch, '380 points; latest batch loss 0.0026.');
    assert.match(chartSummaries(training).loss, /^Epoch 19: training loss \d\.\d{4}, validation loss \d\.\d{4}\.$/);
  });

  it('says it is a saved model and how many epochs it was trained, without time left or speed', () => {
    const training = trainingView(new TrainingMonitor().current, () => withBatches);
    assert.deepEqual(trainingStats(training), { epochName: 'Saved model', epoch: '19 epochs trained' });
    const oneEpoch = { ...bundled, history: bundled.history!.slice(0, 1) };
    assert.equal(trainingStats(trainingView(new TrainingMonitor().current, () => oneEpoch)).epoch, '1 epoch trained');
  });

  it('hides the per-batch chart when the saved model recorded no batch losses', () => {
    const training = trainingView(new TrainingMonitor().current, () => bundled);
    assert.equal(training.saved, true);
    assert.deepEqual(training.batchLoss, []);
    assert.equal(showsBatchChart(training), false);
  });

  it("a run of this session is shown instead, from its start, without reading the model's metadata", () => {
    const unread = () => assert.fail('the metadata was read although a run is shown');
    const monitor = new TrainingMonitor();
    monitor.start(3, 32);
    const starting = trainingView(monitor.current, unread);
    assert.equal(starting.saved, false);
    assert.ok(showsBatchChart(starting), 'the batch chart waits for the first batch while a run is going');
    monitor.finish('Training failed: out of memory');
    const failed = trainingView(monitor.current, unread);
    assert.equal(failed.status, 'Training failed: out of memory');
    assert.equal(showsBatchChart(failed), false);
    assert.equal(trainingView(runningMonitor().current, unread).saved, false);
  });

  it('without a run or a saved history, shows that no training has run', () => {
    const { history: _history, ...noHistory } = bundled;
    for (const metadata of [noModel, () => noHistory, () => ({ ...bundled, history: [] })]) {
      const training = trainingView(new TrainingMonitor().current, metadata);
      assert.equal(training.saved, false);
      assert.equal(training.status, 'No training has run yet.');
      assert.equal(trainingStats(training).epoch, '—');
    }
  });
});
