// Which model is active: mnist.modelPath if set (and the workspace trusted, and not put aside by Use Bundled Model or
// Open Model), else the one chosen last: trained, opened (MNIST: Open Model…) or bundled. A model that cannot be loaded
// is reported once.
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DigitClassifier, ModelSource } from '../engine/classifier';
import { MODEL_FILE, readModelMetadata, type ModelMetadata } from '../engine/model/metadata';
import { bundledModelDir } from '../engine/paths';
import { errorMessage } from '../shared/errors';
import { modelPathFromSettings, resolveModelPath } from './settings';
import { readMnistSetting, warnSetting } from './vscodeSettings';

/** "bundled", "trained" or "opened": the model chosen last. */
const ACTIVE_MODEL_KEY = 'mnist.activeModel';
/** The folder or Keras file chosen with Open Model. */
const OPENED_MODEL_KEY = 'mnist.openedModel';
/** The mnist.modelPath value (as written) that Use Bundled Model or Open Model put aside in this workspace. */
const SET_ASIDE_KEY = 'mnist.setAsideModelPath';

export class ModelManager implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ModelSource>();
  readonly onDidChange = this.changed.event;
  readonly trainedDir: string;
  private readonly subscriptions: vscode.Disposable[] = [this.changed];
  /** Load failures already shown (model path and message), so that the sketchpad's strokes do not repeat them. */
  private readonly reported = new Set<string>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    /** The classifier, if it has been created. */
    private readonly createdClassifier: () => DigitClassifier | undefined,
  ) {
    this.trainedDir = join(context.globalStorageUri.fsPath, 'models', 'trained');
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
    const chosen = this.context.globalState.get(ACTIVE_MODEL_KEY);
    if (chosen === 'trained' && existsSync(join(this.trainedDir, MODEL_FILE))) {
      return { path: this.trainedDir, kind: 'trained' };
    }
    const opened = this.context.globalState.get(OPENED_MODEL_KEY);
    if (chosen === 'opened' && typeof opened === 'string' && existsSync(opened))
      return { path: opened, kind: 'opened' };
    return { path: bundledModelDir(this.context.extensionPath), kind: 'bundled' };
  }

  /** What the active model's folder records about itself (read asynchronously, size-bounded). */
  metadata(): Promise<ModelMetadata | undefined> {
    return readModelMetadata(this.source().path);
  }

  async useTrained(): Promise<void> {
    await this.context.globalState.update(ACTIVE_MODEL_KEY, 'trained');
    await this.switchTo(this.source());
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
