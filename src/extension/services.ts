// What the extension gives its panels (PanelServices) and how activate() builds it: the classifier and MNIST,
// loaded on first use, and the evaluations, kept per model. Building them loads neither TensorFlow.js nor MNIST.
import type * as vscode from 'vscode';
import type { DigitClassifier, ModelSource } from '../engine/classifier';
import type { Mnist } from '../engine/data/idx';
import type { Evaluation } from '../engine/evaluate';
import { folderStamp } from '../engine/model/modelFiles';
import { defaultDataDir } from '../engine/paths';
import { evaluateWithProgress } from './commands/evaluation';
import { loadEngineHost } from './loadEngineHost';
import type { ModelMetadata } from '../engine/model/metadata';
import type { ModelSummary } from '../engine/model/summary';
import type { ModelManager } from './modelManager';
import { PromiseCache } from './promiseCache';
import { backendFromSettings, type SettingReader } from './settings';
import { warnSetting } from './vscodeSettings';
import type { TrainingMonitor } from './training/trainingMonitor';
import { SketchFeed } from './panels/sketchFeed';

export interface PanelServices {
  extensionUri: vscode.Uri;
  log: vscode.LogOutputChannel;
  /** Creates the classifier (and loads TensorFlow.js) on first use. */
  classifier(): Promise<DigitClassifier>;
  trainingMonitor: TrainingMonitor;
  /** What the active model's folder records about it (read from disk at each call; none for a Keras file). */
  activeModelMetadata(): Promise<ModelMetadata | undefined>;
  /** Shows, once per model and problem, why the active model cannot be loaded. */
  reportModelFailure(err: unknown): void;
  /** Cancels the running training (no-op if none). */
  stopTraining(): void;
  /** Real MNIST, loaded on first use and kept. */
  mnist(): Promise<Mnist>;
  /** Runs with a progress notification; kept per model. */
  evaluateActiveModel(): Promise<Evaluation>;
  /** Loads a model folder or Keras file that need not be the active one, summarises it and frees it. */
  summarizeModelFile(path: string): Promise<{ summary: ModelSummary; metadata?: ModelMetadata }>;
  /** The sketchpad's latest drawing, as the model saw it. */
  sketches: SketchFeed;
}

export interface ClassifierOptions {
  /** The model to load first (the active one). */
  source: () => ModelSource;
  readSetting: SettingReader;
  nativeSearchPaths: () => string[];
  log: vscode.LogOutputChannel;
}

/** The digit classifier, created (and TensorFlow.js loaded) on first use. */
export class LazyClassifier implements vscode.Disposable {
  private classifier: DigitClassifier | undefined;

  constructor(private readonly options: ClassifierOptions) {}

  /** The classifier once created, else undefined. */
  get created(): DigitClassifier | undefined {
    return this.classifier;
  }

  async get(): Promise<DigitClassifier> {
    if (!this.classifier) {
      const { source, readSetting, nativeSearchPaths, log } = this.options;
      const { DigitClassifier } = loadEngineHost();
      this.classifier = new DigitClassifier(
        source(),
        () => backendFromSettings(readSetting, warnSetting),
        nativeSearchPaths,
      );
      const backend = await this.classifier.startBackend();
      log.info(`Inference backend: ${backend.name} — ${backend.reason}`);
      if (backend.warning) log.warn(backend.warning);
    }
    return this.classifier;
  }

  dispose(): void {
    this.classifier?.dispose();
  }
}

export interface PanelServiceDeps {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  models: ModelManager;
  classifier: LazyClassifier;
  monitor: TrainingMonitor;
  stopTraining: () => void;
}

export function createPanelServices({
  context,
  log,
  models,
  classifier,
  monitor,
  stopTraining,
}: PanelServiceDeps): PanelServices {
  const dataDir = defaultDataDir(context.extensionPath);
  const datasets = new PromiseCache<string, Mnist>();
  const mnist = () => datasets.get(dataDir, () => loadEngineHost().loadMnist(dataDir));
  const evaluations = new PromiseCache<string, Evaluation>();
  const sketches = new SketchFeed();
  context.subscriptions.push(sketches);
  return {
    extensionUri: context.extensionUri,
    log,
    classifier: () => classifier.get(),
    trainingMonitor: monitor,
    activeModelMetadata: () => models.metadata(),
    reportModelFailure: (err) => models.reportLoadFailure(err),
    stopTraining,
    mnist,
    evaluateActiveModel: async () => {
      // Keyed by path and the files' stamp: a model retrained or replaced at the same path is evaluated anew.
      const { path } = models.source();
      return evaluations.get(`${path}@${await folderStamp(path)}`, async () =>
        evaluateWithProgress(await classifier.get(), async () => (await mnist()).test, log),
      );
    },
    summarizeModelFile: async (path) => {
      await classifier.get(); // starts the backend the model is built on
      return loadEngineHost().summarizeModelFile(path);
    },
    sketches,
  };
}
