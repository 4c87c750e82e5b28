// Wires the extension together. Nothing here loads TensorFlow or MNIST: they load on first use.
import * as vscode from 'vscode';
import { classifyCommand, type FileClassification } from './commands/classify';
import { exportKeras } from './commands/exportKeras';
import { openModel } from './commands/openModel';
import { installNativeBackend, nativeBackendDir } from './commands/nativeBackend';
import { PredictionServerController } from './commands/predictionServer';
import { TrainingController } from './commands/training';
import { ModelManager } from './modelManager';
import { ClassifyResultsPanel } from './panels/classifyResultsPanel';
import { EvaluationPanel } from './panels/evaluationPanel';
import { registerKerasModelEditor } from './panels/kerasModelEditor';
import { ModelSummaryPanel } from './panels/modelSummaryPanel';
import { NetworkPanel } from './panels/networkPanel';
import { refreshModelPanels, registerPanelSerializers } from './panels/registerPanels';
import { SketchpadPanel } from './panels/sketchpadPanel';
import { TrainingChartPanel } from './panels/trainingChartPanel';
import { createPanelServices, LazyClassifier, type PanelServices } from './services';
import { createModelStatusItem } from './statusBar';
import { TrainingMonitor } from './training/trainingMonitor';
import { modelPathFromSettings } from './settings';
import { readMnistSetting } from './vscodeSettings';

/** What other extensions get from `vscode.extensions.getExtension(...).activate()`: the VS Code /predict. */
export interface MnistApi {
  classifyPng(bytes: Uint8Array): Promise<{ digit: number; probabilities: number[] }>;
  classifyPixels(
    rgba: Uint8ClampedArray,
    width: number,
    height: number,
  ): Promise<{ digit: number; probabilities: number[] }>;
}

/** Set by the bundle's first line (esbuild.mjs), so that load time counts too. */
declare const __extensionBundleStart: number | undefined;
const bundleEvaluated = performance.now();
const bundleStart = typeof __extensionBundleStart === 'number' ? __extensionBundleStart : bundleEvaluated;

export function activate(context: vscode.ExtensionContext): MnistApi {
  const activateStart = performance.now();
  const log = vscode.window.createOutputChannel('MNIST', { log: true });
  const nativeSearchPaths = () => [nativeBackendDir(context), context.extensionPath];

  const models = new ModelManager(context, () => classifier.created);
  const classifier: LazyClassifier = new LazyClassifier({
    source: () => models.source(),
    readSetting: readMnistSetting,
    nativeSearchPaths,
    log,
  });
  const monitor = new TrainingMonitor();
  const stopTraining = () => training.stop();
  const services = createPanelServices({ context, log, models, classifier, monitor, stopTraining });
  const showChart = () => TrainingChartPanel.createOrShow(services);
  const training = new TrainingController({ context, log, models, monitor, nativeSearchPaths, showChart });
  const predictionServer = new PredictionServerController(classifier, log);

  const commands: Record<string, (...args: never[]) => unknown> = {
    'mnist.trainModel': (architecture?: unknown) => training.train(architecture),
    'mnist.stopTraining': stopTraining,
    'mnist.openSketchpad': () => SketchpadPanel.createOrShow(services),
    'mnist.showTrainingChart': showChart,
    'mnist.showModelSummary': () => ModelSummaryPanel.createOrShow(services),
    'mnist.showNetwork': () => NetworkPanel.createOrShow(services),
    'mnist.evaluateModel': () => EvaluationPanel.createOrShow(services),
    'mnist.classifyDigit': (clicked?: vscode.Uri, selected?: vscode.Uri[]) =>
      classifyFiles(services, clicked, selected),
    'mnist.useBundledModel': () => useBundledModel(models),
    'mnist.openModel': (target?: vscode.Uri) => openModel(services, models, target),
    'mnist.exportKeras': (target?: vscode.Uri) => exportKeras(services, models, target),
    'mnist.installNativeBackend': () => installNativeBackend(context, log),
    'mnist.startPredictionServer': () => predictionServer.start(),
    'mnist.stopPredictionServer': () => predictionServer.stop(),
    'mnist.openPredictionServer': () => predictionServer.openInBrowser(),
  };
  context.subscriptions.push(
    log,
    models,
    training,
    createModelStatusItem(models),
    models.onDidChange(() => refreshModelPanels()),
    ...Object.entries(commands).map(([id, handler]) => vscode.commands.registerCommand(id, handler)),
    ...registerPanelSerializers(services),
    ...registerKerasModelEditor(services),
    predictionServer,
    classifier,
  );

  logActivationTime(log, activateStart);
  return {
    classifyPng: async (bytes) => digitAndProbabilities(await (await classifier.get()).classifyImageBytes(bytes)),
    classifyPixels: async (rgba, width, height) =>
      digitAndProbabilities(await (await classifier.get()).classifyPixels(rgba, width, height)),
  };
}

export function deactivate(): void {}

/** MNIST: Classify Digit, on the files clicked or selected in the explorer (or picked in a dialog). */
async function classifyFiles(
  services: PanelServices,
  clicked?: vscode.Uri,
  selected?: vscode.Uri[],
): Promise<FileClassification[]> {
  const classifier = await services.classifier();
  // The table needs each file's full URI (to name it relative to the workspace and open it), not its base name.
  const show = (results: FileClassification[]) =>
    ClassifyResultsPanel.show(
      services,
      results.map((r) => ({ ...r, file: r.uri.toString() })),
    );
  return classifyCommand(classifier, services.log, show, clicked, selected);
}

async function useBundledModel(models: ModelManager): Promise<void> {
  await models.useBundled();
  const note = modelPathFromSettings(readMnistSetting)
    ? ' (mnist.modelPath is set aside in this workspace until you change it)'
    : '';
  void vscode.window.showInformationMessage(`MNIST: using the bundled model${note}.`);
}

function logActivationTime(log: vscode.LogOutputChannel, activateStart: number): void {
  const loadMs = bundleEvaluated - bundleStart;
  const activateMs = performance.now() - activateStart;
  log.info(
    `Activated in ${(loadMs + activateMs).toFixed(1)} ms: bundle load ${loadMs.toFixed(1)} ms + activate ${activateMs.toFixed(1)} ms (TensorFlow.js and MNIST load on first use).`,
  );
}

/** Only the API's fields, not the classifier's extras. */
const digitAndProbabilities = ({ digit, probabilities }: { digit: number; probabilities: number[] }) => ({
  digit,
  probabilities,
});
