// The engine parts the extension host runs in-process (inference, evaluation, data). Bundled on its own
// (dist/engineHost.js) and required on first use, so activation never parses TensorFlow.js.
export { DigitClassifier } from './classifier';
export { evaluate } from './evaluate';
export { loadMnist } from './data/idx';
export { startPredictionServer } from './serve/predictionServer';
