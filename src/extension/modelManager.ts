// Which model is active: mnist.modelPath if set (and the workspace trusted, and not put aside by Use Bundled Model or
// Open Model), else the one chosen last: a kept training run (the last one trained, unless another was chosen
// since), a model opened with MNIST: Open Model…, or the bundled one. A model that cannot be loaded is reported once.
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DigitClassifier, ModelSource } from '../engine/classifier';
import { MODEL_FILE, readModelMetadata, type ModelMetadata } from '../engine/model/metadata';
import { bundledModelDir } from '../engine/paths';
import { adoptModelFolder, isRunId } from '../engine/runs/runStore';
import { errorMessage } from '../shared/errors';
import { modelPathFromSettings, resolveModelPath } from './settings';
import { readMnistSetting, warnSetting } from './vscodeSettings';

/** "bundled", "trained" (a kept run: which one, ACTIVE_RUN_KEY) or "opened": the model chosen last. */
const ACTIVE_MODEL_KEY = 'mnist.activeModel';
/** The id of the active run, in runsDir. */
const ACTIVE_RUN_KEY = 'mnist.activeRun';
/** The folder or Keras file chosen with Open Model. */
const OPENED_MODEL_KEY = 'mnist.openedModel';
/** The mnist.modelPath value (as written) that Use Bundled Model or Open Model put aside in this workspace. */
const SET_ASIDE_KEY = 'mnist.setAsideModelPath';

export class ModelManager implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ModelSource>();
  readonly onDidChange = this.changed.event;
  /** Where training runs are kept (runs/runStore.ts), one folder each. */
  readonly runsDir: string;
  private readonly subscriptions: vscode.Disposable[] = [this.changed];
  /** Load failures already shown (model path and message), so that the sketchpad's strokes do not repeat them. */
  private readonly reported = new Set<string>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    /** The classifier, if it has been created. */
    private readonly createdClassifier: () => DigitClassifier | undefined,
  ) {
    this.runsDir = join(context.globalStorageUri.fsPath, 'runs');
    this.adoptTrainedModel(join(context.globalStorageUri.fsPath, 'models', 'trained'));
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mnist.modelPath')) void this.switchTo(this.source());
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void this.switchTo(this.source())),
    );
  }

  /** Computed fresh each time (no file is read), so settings and files changed elsewhere are respected. */
  source(): ModelSource {
    const custom = this.customPath();
    if (custom) return { path: custom, kind: 'custom' };
    const run = this.activeRunId();
    if (run && existsSync(join(this.runsDir, run, MODEL_FILE)))
      return { path: join(this.runsDir, run), kind: 'trained' };
    const opened = this.context.globalState.get(OPENED_MODEL_KEY);
    if (this.context.globalState.get(ACTIVE_MODEL_KEY) === 'opened' && typeof opened === 'string' && existsSync(opened))
      return { path: opened, kind: 'opened' };
    return { path: bundledModelDir(this.context.extensionPath), kind: 'bundled' };
  }

  /** What the active model's folder records about itself (read asynchronously, size-bounded). */
  metadata(): Promise<ModelMetadata | undefined> {
    return readModelMetadata(this.source().path);
  }

  /** The kept run that is active (unless mnist.modelPath overrides it), if one is. */
  activeRunId(): string | undefined {
    const id = this.context.globalState.get<string>(ACTIVE_RUN_KEY);
    const chosen = this.context.globalState.get(ACTIVE_MODEL_KEY) === 'trained';
    return chosen && typeof id === 'string' && isRunId(id) ? id : undefined;
  }

  async useRun(id: string): Promise<void> {
    await this.context.globalState.update(ACTIVE_RUN_KEY, id);
    await this.context.globalState.update(ACTIVE_MODEL_KEY, 'trained');
    await this.switchTo(this.source());
  }

  /**
   * The single trained model kept before runs were (globalStorage/models/trained) becomes a run, the active one if it
   * was active. One rename, once.
   */
  private adoptTrainedModel(trainedDir: string): void {
    try {
      const id = adoptModelFolder(this.runsDir, trainedDir);
      if (id && this.context.globalState.get(ACTIVE_MODEL_KEY) === 'trained') {
        void this.context.globalState.update(ACTIVE_RUN_KEY, id);
      }
    } catch (err) {
      console.error(`MNIST: could not move ${trainedDir} into ${this.runsDir}: ${errorMessage(err)}`);
    }
  }

  /** Uses the bundled model; a mnist.modelPath set now is put aside in this workspace until the setting changes. */
  async useBundled(): Promise<void> {
    await this.context.globalState.update(ACTIVE_MODEL_KEY, 'bundled');
    await this.setAsideModelPath();
    await this.switchTo(this.source());
  }

  /** Uses a model folder or Keras file (checked by the caller); mnist.modelPath is put aside as by useBundled. */
  async useOpened(path: string): Promise<void> {
    await this.context.globalState.update(OPENED_MODEL_KEY, path);
    await this.context.globalState.update(ACTIVE_MODEL_KEY, 'opened');
    await this.setAsideModelPath();
    await this.switchTo(this.source());
  }

  private setAsideModelPath(): Thenable<void> {
    return this.context.workspaceState.update(SET_ASIDE_KEY, modelPathFromSettings(readMnistSetting));
  }

  /** Shows, once per model and problem, why the active model cannot be loaded, with a way back to the bundled one. */
  reportLoadFailure(err: unknown): void {
    const source = this.source();
    const message = errorMessage(err);
    const key = `${source.path}\n${message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    const actions = source.kind === 'bundled' ? [] : ['Use Bundled Model'];
    if (source.kind === 'custom') actions.push('Open Settings');
    void vscode.window
      .showErrorMessage(`MNIST: the ${describeSource(source)} cannot be used: ${message}`, ...actions)
      .then((choice) => {
        if (choice === 'Use Bundled Model') void vscode.commands.executeCommand('mnist.useBundledModel');
        if (choice === 'Open Settings')
          void vscode.commands.executeCommand('workbench.action.openSettings', 'mnist.modelPath');
      });
  }

  /** The folder or Keras file mnist.modelPath names, unless it is empty, unusable (warned about) or put aside. */
  private customPath(): string | undefined {
    const value = modelPathFromSettings(readMnistSetting, warnSetting);
    if (!value || value === this.context.workspaceState.get(SET_ASIDE_KEY)) return undefined;
    const resolved = resolveModelPath(value, { workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath });
    if ('path' in resolved) return resolved.path;
    warnSetting('mnist.modelPath', resolved.problem.replace(/^mnist\.modelPath /, ''));
    return undefined;
  }

  private async switchTo(source: ModelSource): Promise<void> {
    this.reported.clear();
    const classifier = this.createdClassifier();
    // A classifier that has not loaded a model yet picks the new source up on first use.
    if (classifier) await classifier.useModel(source).catch((err) => this.reportLoadFailure(err));
    this.changed.fire(source);
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
  }
}

export function describeSource(source: ModelSource): string {
  return {
    bundled: 'bundled model',
    trained: 'your trained model',
    custom: `model from mnist.modelPath (${source.path})`,
    opened: `model ${source.path}`,
  }[source.kind];
}
