// The robustness report on the bundled model and real MNIST test digits: seeded, every corruption reported, and the
// ones the preprocessing undoes (dark ink on light paper) score as the clean digits do.
import type * as tfl from '@tensorflow/tfjs-layers';
import { strict as assert } from 'node:assert';
import { startTestBackend } from '../../testBackend';
import { loadModel } from '../../../src/engine/model/storage';
import { loadMnist, type DigitSet } from '../../../src/engine/data/idx';
import { bundledModelDir, defaultDataDir } from '../../../src/engine/paths';
import { robustnessReport } from '../../../src/engine/robustness';
import { CORRUPTIONS } from '../../../src/engine/image/corruptions';
import { IMAGE_SIZE } from '../../../src/shared/mnistImage';

describe('robustnessReport (bundled model, 200 real test digits)', function () {
  this.timeout(120_000);
  let model: tfl.LayersModel;
  let test: DigitSet;

  before(async () => {
    await startTestBackend();
    ({ model } = await loadModel(bundledModelDir()));
    test = loadMnist(defaultDataDir()).test;
  });

  after(() => model.dispose());

  it('reports every corruption, its sample digit, and a mean below the clean accuracy; the same for the same seed', async () => {
    const report = await robustnessReport(model, test, { limit: 200, seed: 5 });
    assert.equal(report.n, 200);
    assert.deepEqual(
      report.corruptions.map((c) => c.name),
      [...CORRUPTIONS],
    );
    assert.ok(report.clean.accuracy >= 0.97, `clean ${report.clean.accuracy}`);
    const inverted = report.corruptions.find((c) => c.name === 'darkOnLight')!;
    assert.equal(inverted.accuracy, report.clean.accuracy, 'the preprocessing turns dark-on-light back');
    assert.ok(report.meanCorrupted < report.clean.accuracy);
    for (const c of report.corruptions) {
      assert.equal(c.sample.length, IMAGE_SIZE, c.name);
      assert.ok(
        c.sample.some((level) => level > 0),
        `${c.name}: the sample shows ink`,
      );
    }
    const again = await robustnessReport(model, test, { limit: 200, seed: 5 });
    assert.deepEqual(
      again.corruptions.map((c) => c.accuracy),
      report.corruptions.map((c) => c.accuracy),
    );
  });
});
