// "Not sure" instead of one confident digit: the rule, and the bundled model on real digits and on noise (which it
// used to call an 8).
import type * as tfl from '@tensorflow/tfjs-layers';
import { strict as assert } from 'node:assert';
import { startTestBackend } from '../../testBackend';
import { loadMnist } from '../../../src/engine/data/idx';
import { toMnistImage } from '../../../src/engine/image/preprocess';
import { loadModel } from '../../../src/engine/model/storage';
import { bundledModelDir, defaultDataDir } from '../../../src/engine/paths';
import { predictDigit, predictProbabilities } from '../../../src/engine/predict';
import { certaintyOf, UNCERTAINTY_THRESHOLDS } from '../../../src/engine/uncertainty';
import { unsureText } from '../../../src/shared/certainty';
import { IMAGE_SIZE } from '../../../src/shared/mnistImage';
import { noiseImages } from '../../fixtures/unlikeDigits';

const probabilities = (top: number, second: number, digits: [number, number] = [3, 5]) => {
  const values = new Array<number>(10).fill((1 - top - second) / 8);
  values[digits[0]] = top;
  values[digits[1]] = second;
  return values;
};

describe('certaintyOf', () => {
  const { minEnergy, minTopProbability } = UNCERTAINTY_THRESHOLDS;

  it('is sure of a digit that stands out, with an energy like the training digits', () => {
    assert.deepEqual(certaintyOf({ digit: 3, probabilities: probabilities(0.95, 0.03), energy: minEnergy + 5 }), {
      sure: true,
    });
  });

  it('says "not sure" when no digit stands out, naming the two likeliest', () => {
    const certainty = certaintyOf({ digit: 3, probabilities: probabilities(minTopProbability - 0.1, 0.3) });
    assert.deepEqual(certainty, { sure: false, reason: 'undecided', candidates: [3, 5] });
    assert.equal(unsureText(certainty), 'not sure: 3 or 5?');
  });

  it('says the input does not look like a digit when its energy is low, however high the top probability', () => {
    const certainty = certaintyOf({
      digit: 8,
      probabilities: probabilities(0.97, 0.02, [8, 2]),
      energy: minEnergy - 1,
    });
    assert.deepEqual(certainty, { sure: false, reason: 'unlike-digits', candidates: [8, 2] });
    assert.equal(unsureText(certainty), 'this does not look like a digit (8 or 2?)');
  });
});

describe('uncertainty with the bundled model', function () {
  this.timeout(60_000);
  let model: tfl.LayersModel;

  before(async () => {
    await startTestBackend();
    ({ model } = await loadModel(bundledModelDir()));
  });

  after(() => model.dispose());

  it('predicts the same probabilities through the scores before the softmax as the model does', () => {
    const test = loadMnist(defaultDataDir()).test;
    const pixels = Float32Array.from(test.images.subarray(0, IMAGE_SIZE), (level) => level / 255);
    const direct = predictProbabilities(model, pixels, 1);
    const prediction = predictDigit(model, pixels);
    prediction.probabilities.forEach((p, i) => assert.ok(Math.abs(p - direct[i]) < 1e-5, `${i}: ${p} ${direct[i]}`));
    assert.ok(prediction.energy !== undefined && prediction.energy > UNCERTAINTY_THRESHOLDS.minEnergy);
  });

  it('is sure of at least 98.5% of 500 real test digits, and of none of 200 noise images', () => {
    const test = loadMnist(defaultDataDir()).test;
    let sure = 0;
    for (let i = 0; i < 500; i++) {
      const data = test.images.subarray(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE);
      if (certaintyOf(predictDigit(model, toMnistImage({ data, width: 28, height: 28, channels: 1 }).pixels)).sure)
        sure++;
    }
    assert.ok(sure >= 493, `sure of ${sure} of 500`);
    const noise = noiseImages(200).map((image) => certaintyOf(predictDigit(model, toMnistImage(image).pixels)));
    assert.equal(noise.filter((c) => c.sure).length, 0);
  });
});
