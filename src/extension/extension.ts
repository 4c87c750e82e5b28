// Wires the extension together. Nothing here loads TensorFlow or MNIST: they load on first use.
import * as vscode from 'vscode';
import type { DigitClassifier } from '../engine/classifier';
import { classifyCommand } from './commands/classify';
import { evaluateWithProgress } from './commands/evaluation';
import { installNativeBackend, nativeBackendDir } from './commands/nativeBackend';
import { TrainingController } from './commands/training';
import type { Evaluation } from '../engine/evaluate';
import type { Mnist } from '../engine/data/idx';
import { defaultDataDir } from '../engine/paths';
import { loadEngineHost } from './loadEngineHost';
import { ModelManager } from './modelManager';
import { ClassifyResultsPanel } from './panels/classifyResultsPanel';
import { EvaluationPanel } from './panels/evaluationPanel';
import { ModelSummaryPanel } from './panels/modelSummaryPanel';
import { refreshModelPanels, registerPanelSerializers } from './panels/registerPanels';
import type { PanelServices } from './panels/services';
import { SketchpadPanel } from './panels/sketchpadPanel';
import { TrainingChartPanel } from './panels/trainingChartPanel';
import { backendFromSettings, type SettingReader } from './settings';
import { createModelStatusItem } from './statusBar';
import { TrainingMonitor } from './training/trainingMonitor';

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
  const read: SettingReader = (key) => vscode.workspace.getConfiguration('mnist').get(key);
  const nativeSearchPaths = () => [nativeBackendDir(context), context.extensionPath];

  let classifier: DigitClassifier | undefined;
  const models = new ModelManager(context, () => classifier);
  const getClassifier = async (): Promise<DigitClassifier> => {
    if (!classifier) {
      const { DigitClassifier } = loadEngineHost();
      classifier = new DigitClassifier(models.source(), () => backendFromSettings(read), nativeSearchPaths);
      const backend = await classifier.startBackend();
      log.info(`Inference backend: ${backend.name} — ${backend.reason}`);
      if (backend.warning) log.warn(backend.warning);
    }
    return classifier;
  };

  let mnist: Promise<Mnist> | undefined;
  const loadData = (): Promise<Mnist> => {
    mnist ??= Promise.resolve().then(() => loadEngineHost().loadMnist(defaultDataDir(context.extensionPath)));
    mnist.catch(() => (mnist = undefined));
    return mnist;
  };

  const evaluations = new Map<string, Promise<Evaluation>>();
  const monitor = new TrainingMonitor();

  const services: PanelServices = {
    extensionUri: context.extensionUri,
    log,
    classifier: getClassifier,
    training: monitor,
    activeModelMetadata: () => models.metadata(),
    stopTraining: () => training.stop(),
    mnist: loadData,
    evaluateActiveModel: async () => {
      const key = `${models.source().dir}@${models.metadata()?.date ?? ''}`;
      if (!evaluations.has(key)) {
        const run = getClassifier().then((c) => evaluateWithProgress(c, async () => (await loadData()).test, log));
        evaluations.set(key, run);
        run.catch(() => evaluations.delete(key));
      }
      return evaluations.get(key)!;
    },
  };

  const training = new TrainingController({
    context,
    log,
    models,
    monitor,
    nativeSearchPaths,
    showChart: () => TrainingChartPanel.createOrShow(services),
  });

  const command = (id: string, handler: (...args: never[]) => unknown) => vscode.commands.registerCommand(id, handler);
  context.subscriptions.push(
    log,
    models,
    training,
    createModelStatusItem(models),
    models.onDidChange(() => refreshModelPanels()),
    command('mnist.trainModel', () => training.train()),
    command('mnist.stopTraining', () => training.stop()),
    command('mnist.openSketchpad', () => SketchpadPanel.createOrShow(services)),
    command('mnist.showTrainingChart', () => TrainingChartPanel.createOrShow(services)),
    command('mnist.showModelSummary', () => ModelSummaryPanel.createOrShow(services)),
    command('mnist.evaluateModel', () => EvaluationPanel.createOrShow(services)),
    command('mnist.classifyDigit', async (clicked?: vscode.Uri, selected?: vscode.Uri[]) =>
      classifyCommand(
        await getClassifier(),
        log,
        (results) =>
          // The table needs each file's full URI (to name it relative to the workspace and open it), not its base name.
          ClassifyResultsPanel.show(
            services,
            results.map((r) => ({ ...r, file: r.uri.toString() })),
          ),
        clicked,
        selected,
      ),
    ),
    command('mnist.useBundledModel', async () => {
      await models.useBundled();
      const note = models.source().kind === 'custom' ? ' (mnist.modelPath is set and still takes precedence)' : '';
      void vscode.window.showInformationMessage(`MNIST: using the bundled model${note}.`);
    }),
    command('mnist.installNativeBackend', () => installNativeBackend(context, log)),
    ...registerPanelSerializers(services),
    { dispose: () => classifier?.dispose() },
  );

  const loadMs = bundleEvaluated - bundleStart;
  const activateMs = performance.now() - activateStart;
  log.info(
    `Activated in ${(loadMs + activateMs).toFixed(1)} ms: bundle load ${loadMs.toFixed(1)} ms + activate ${activateMs.toFixed(1)} ms (TensorFlow.js and MNIST load on first use).`,
  );
  return {
    classifyPng: async (bytes) => strip(await (await getClassifier()).classifyPng(bytes)),
    classifyPixels: async (rgba, width, height) =>
      strip(await (await getClassifier()).classifyPixels(rgba, width, height)),
  };
}

export function deactivate(): void {}

const strip = ({ digit, probabilities }: { digit: number; probabilities: number[] }) => ({ digit, probabilities });
