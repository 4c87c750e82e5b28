import { strict as assert } from 'node:assert';
import {
  formatBatch,
  formatBatchPosition,
  formatEpoch,
  formatEvaluating,
} from '../../../../src/engine/training/progressText';
import { formatPercent } from '../../../../src/shared/format';

describe('progress wording (output channel and CLI)', () => {
  it('formats an epoch with its validation figures, speed and time', () => {
    const line = formatEpoch({
      epoch: 2,
      epochs: 5,
      loss: 0.07123,
      accuracy: 0.97812,
      valLoss: 0.0456,
      valAccuracy: 0.9871,
      imagesPerSecond: 612.4,
      seconds: 88.26,
    });
    assert.equal(
      line,
      'Epoch 2/5 · loss 0.0712 · acc 97.81% · val_loss 0.0456 · val_acc 98.71% · 612 images/s · 88.3 s',
    );
  });

  it('leaves out validation when there is none', () => {
    const line = formatEpoch({ epoch: 1, epochs: 1, loss: 1.5, accuracy: 0.5, imagesPerSecond: 100, seconds: 3 });
    assert.equal(line, 'Epoch 1/1 · loss 1.5000 · acc 50.00% · 100 images/s · 3.0 s');
  });

  it("formats a batch with its epoch's running loss and accuracy", () => {
    const progress = {
      epoch: 2,
      epochs: 5,
      batch: 410,
      batches: 844,
      loss: 0.07123,
      accuracy: 0.97812,
      imagesPerSecond: 600,
    };
    assert.equal(formatBatch(progress), 'Epoch 2/5 · batch 410/844 · loss 0.071 · acc 97.8%');
    assert.equal(formatBatchPosition(progress), 'Epoch 2/5 · batch 410/844');
  });

  it('formats evaluation progress', () => {
    assert.equal(formatEvaluating(5000, 10000), 'Evaluating on the test set · 5000/10000');
  });

  it('formats percentages', () => {
    assert.equal(formatPercent(0.9944, 2), '99.44%');
    assert.equal(formatPercent(0.984), '98.4%');
  });
});
