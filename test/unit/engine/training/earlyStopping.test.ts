// EarlyStopping with a real model: when it stops, which weights it puts back, and that it frees what it kept.
import * as tf from '@tensorflow/tfjs-core';
import { strict as assert } from 'node:assert';
import { startTestBackend } from '../../../testBackend';
import { createModel } from '../../../../src/engine/model/architecture';
import { EarlyStopping } from '../../../../src/engine/training/earlyStopping';
import { disposeModel } from '../../../../src/engine/training/train';

describe('early stopping (val_loss, best weights restored)', () => {
  before(() => startTestBackend());

  /** Runs `valLosses` as epochs whose weights are all equal to the epoch number; returns where it stopped. */
  function run(stopping: EarlyStopping, model: ReturnType<typeof createModel>, valLosses: (number | undefined)[]) {
    let epoch = 0;
    for (const valLoss of valLosses) {
      epoch++;
      const weights = model.getWeights().map((w) => tf.fill(w.shape, epoch));
      model.setWeights(weights);
      tf.dispose(weights);
      if (stopping.shouldStop(epoch, valLoss, model)) break;
    }
    return epoch;
  }
  const firstWeight = (model: ReturnType<typeof createModel>) => model.getWeights()[0].dataSync()[0];

  it('stops after `patience` epochs without a lower val_loss and restores the best epoch', () => {
    const model = createModel();
    const before = tf.memory().numTensors;
    const stopping = new EarlyStopping(2);
    const last = run(stopping, model, [0.5, 0.4, 0.45, 0.41, 0.3]);
    assert.equal(last, 4);
    assert.ok(stopping.stopped);
    assert.equal(stopping.restoreBest(model, last), 2);
    assert.equal(firstWeight(model), 2);
    stopping.dispose();
    assert.equal(tf.memory().numTensors, before);
    disposeModel(model);
  });

  it('runs every epoch when patience is 0 or there is no validation, and leaves the last weights', () => {
    for (const [patience, valLosses] of [
      [0, [0.5, 0.6, 0.7, 0.8]],
      [2, [undefined, undefined, undefined, undefined]],
    ] as const) {
      const model = createModel();
      const stopping = new EarlyStopping(patience);
      const last = run(stopping, model, [...valLosses]);
      assert.equal(last, 4);
      assert.equal(stopping.stopped, false);
      assert.equal(stopping.restoreBest(model, last), 4);
      assert.equal(firstWeight(model), 4);
      stopping.dispose();
      disposeModel(model);
    }
  });
});
