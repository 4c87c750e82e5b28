import { strict as assert } from 'node:assert';
import { DEFAULT_TRAIN_OPTIONS } from '../../../src/engine/training/trainOptions';
import {
  backendFromSettings,
  modelPathFromSettings,
  trainOptionsFromSettings,
  type SettingReader,
} from '../../../src/extension/settings';

const reader =
  (values: Record<string, unknown>): SettingReader =>
  <T>(key: string) =>
    values[key] as T | undefined;

describe('settings → engine options', () => {
  it('uses the defaults when nothing is set', () => {
    assert.deepEqual(trainOptionsFromSettings(reader({})), DEFAULT_TRAIN_OPTIONS);
  });

  it('maps every mnist.training.* setting', () => {
    const options = trainOptionsFromSettings(
      reader({
        'training.epochs': 1,
        'training.batchSize': 128,
        'training.learningRate': 0.01,
        'training.validationSplit': 0.2,
        'training.earlyStoppingPatience': 0,
        'training.augment': true,
        'training.trainingSubset': 500,
      }),
    );
    assert.deepEqual(options, {
      ...DEFAULT_TRAIN_OPTIONS,
      epochs: 1,
      batchSize: 128,
      learningRate: 0.01,
      validationSplit: 0.2,
      earlyStoppingPatience: 0,
      augment: true,
      trainingSubset: 500,
    });
  });

  it('rejects out-of-range values with a message naming them', () => {
    assert.throws(
      () => trainOptionsFromSettings(reader({ 'training.epochs': 0 })),
      /epochs must be an integer ≥ 1 \(got 0\)/,
    );
    assert.throws(
      () => trainOptionsFromSettings(reader({ 'training.validationSplit': 1.5 })),
      /validationSplit must be in \[0, 1\)/,
    );
    assert.throws(
      () => trainOptionsFromSettings(reader({ 'training.batchSize': 2.5 })),
      /batchSize must be an integer/,
    );
  });

  it('reads the backend and the model path', () => {
    assert.equal(backendFromSettings(reader({})), 'auto');
    assert.equal(backendFromSettings(reader({ backend: 'wasm' })), 'wasm');
    assert.equal(backendFromSettings(reader({ backend: 'gpu' })), 'auto');
    assert.equal(modelPathFromSettings(reader({ modelPath: '  ' })), undefined);
    assert.equal(modelPathFromSettings(reader({ modelPath: '/models/x' })), '/models/x');
  });
});
