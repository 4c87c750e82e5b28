// The engine parts the extension host runs in-process (inference, evaluation, data, Keras export). Bundled on its own
// (dist/engineHost.js) and required on first use, so activation never parses TensorFlow.js.
export { DigitClassifier } from './classifier';
export { evaluate } from './evaluate';
export { robustnessReport } from './robustness';
export { loadMnist } from './data/idx';
export { exportKeras } from './keras/kerasWrite';
export { summarizeModelFile } from './model/fileSummary';
export { firstConvolutionFilters, networkActivations } from './model/activations';
export { startPredictionServer } from './serve/predictionServer';
