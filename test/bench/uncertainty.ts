// How the uncertainty thresholds (src/engine/uncertainty.ts) were chosen: the share of predictions they flag as
// "not sure", on the 10,000 MNIST test digits (right and wrong ones apart) and on inputs that are not one digit,
// for a grid of thresholds and for the chosen ones. Run: npx tsx test/bench/uncertainty.ts [model]
import { initBackend } from '../../src/engine/backend';
import { loadMnist } from '../../src/engine/data/idx';
import { toMnistImage, type RawImage } from '../../src/engine/image/preprocess';
import { loadModel } from '../../src/engine/model/storage';
import { bundledModelDir, defaultDataDir } from '../../src/engine/paths';
import { predictDigit, type Prediction } from '../../src/engine/predict';
import { certaintyOf, UNCERTAINTY_THRESHOLDS } from '../../src/engine/uncertainty';
import { IMAGE_SIZE } from '../../src/shared/mnistImage';
import { digitPairImages, noiseImages, scribbleImages } from '../fixtures/unlikeDigits';

const ENERGIES = [4, 5, 6, 7, 8];
const TOPS = [0.5, 0.6, 0.7, 0.8, 0.9];

async function main(): Promise<void> {
  await initBackend('wasm', { threads: 1 });
  const { model } = await loadModel(process.argv[2] ?? bundledModelDir());
  const test = loadMnist(defaultDataDir()).test;
  const predict = (image: RawImage): Prediction | undefined => {
    try {
      return predictDigit(model, toMnistImage(image).pixels);
    } catch {
      return undefined; // no digit found: already said plainly, not a prediction
    }
  };
  const right: Prediction[] = [];
  const wrong: Prediction[] = [];
  for (let i = 0; i < test.count; i++) {
    const data = test.images.subarray(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE);
    const prediction = predict({ data, width: 28, height: 28, channels: 1 });
    if (prediction) (prediction.digit === test.labels[i] ? right : wrong).push(prediction);
  }
  const sets: [string, Prediction[]][] = [
    ['MNIST right', right],
    ['MNIST wrong', wrong],
    [
      'noise',
      noiseImages(1000)
        .map(predict)
        .filter((p) => p !== undefined),
    ],
    [
      'scribbles',
      scribbleImages(1000)
        .map(predict)
        .filter((p) => p !== undefined),
    ],
    [
      'two digits',
      digitPairImages(test, 1000)
        .map(predict)
        .filter((p) => p !== undefined),
    ],
  ];
  const flagged = (predictions: Prediction[], minEnergy: number, minTopProbability: number) =>
    predictions.filter((p) => !certaintyOf(p, { minEnergy, minTopProbability }).sure).length / predictions.length;
  const percent = (share: number) => `${(share * 100).toFixed(1)}%`.padStart(8);
  console.log(`Share flagged "not sure" (${sets.map(([name, p]) => `${name} n=${p.length}`).join(', ')})`);
  console.log(`${'energy <  top <'.padEnd(18)}${sets.map(([name]) => name.padStart(12)).join('')}`);
  const row = (energy: number, top: number) =>
    `${`${energy}`.padEnd(9)}${`${top}`.padEnd(9)}${sets.map(([, p]) => percent(flagged(p, energy, top)).padStart(12)).join('')}`;
  for (const energy of ENERGIES) for (const top of TOPS) console.log(row(energy, top));
  const { minEnergy, minTopProbability } = UNCERTAINTY_THRESHOLDS;
  console.log(`chosen:\n${row(minEnergy, minTopProbability)}`);
}

void main();
