// Training monitor → chart data and the stats line.
import { strict as assert } from 'node:assert';
import { trainingView } from '../../../src/extension/panels/trainingChartData';
import { TrainingMonitor } from '../../../src/extension/training/trainingMonitor';
import {
  batchSeries,
  epochAxis,
  epochSeries,
  trainingStats,
} from '../../../src/webview/trainingChart/trainingChartLayout';
import { formatDuration } from '../../../src/shared/format';

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
  it('turns the monitor snapshot into the view the webview gets', () => {
    const view = trainingView(runningMonitor().current);
    assert.equal(view.running, true);
    assert.equal(view.epoch, 2);
    assert.equal(view.epochs, 3);
    assert.deepEqual(view.batchLoss, [
      { x: 1, loss: 0.5 },
      { x: 1.5, loss: 0.25 },
    ]);
    assert.equal(view.history.length, 1);
    assert.ok(!('imagesPerSecond' in view.history[0]), 'only what the chart draws goes over the wire');
    // 1.5 epochs of 100 batches of 32 left at 1600 images/s
    assert.equal(view.etaSeconds, 3);
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
    const view = trainingView(runningMonitor().current);
    assert.deepEqual(epochAxis(view), { min: 0, max: 3 });
    assert.deepEqual(epochAxis({ ...view, epochs: 0, history: [] }), { min: 0, max: 1 });
  });

  it('shows epoch, time left and speed while running, dashes when idle', () => {
    const monitor = runningMonitor();
    assert.deepEqual(trainingStats(trainingView(monitor.current)), {
      epoch: '2 / 3',
      eta: '3 s',
      speed: '1,600 images/s',
    });
    monitor.record({ type: 'epoch', result: epoch(2) });
    monitor.finish('Stopped.');
    assert.deepEqual(trainingStats(trainingView(monitor.current)), { epoch: '2 run', eta: '—', speed: '—' });
    assert.deepEqual(trainingStats(trainingView(new TrainingMonitor().current)), { epoch: '—', eta: '—', speed: '—' });
  });

  it('formats durations', () => {
    assert.equal(formatDuration(44.6), '45 s');
    assert.equal(formatDuration(185), '3 min 05 s');
    assert.equal(formatDuration(3720), '1 h 02 min');
    assert.equal(formatDuration(undefined), '—');
    assert.equal(formatDuration(Number.POSITIVE_INFINITY), '—');
  });
});
