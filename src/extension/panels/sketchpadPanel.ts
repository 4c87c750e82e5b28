// Host side of the sketchpad: classifies the drawn ink, saves it as PNG, shows the active model.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { NoDigitError, toMnistImage } from '../../engine/image/preprocess';
import { SketchpadRequestSchema, type SketchpadRequest, type SketchpadUpdate } from '../../shared/sketchpadProtocol';
import { errorMessage } from '../../shared/errors';
import { PanelHost, PanelSlot, type PanelKind } from './panelHost';
import type { PanelServices } from '../services';
import { pngFileName } from '../../shared/format';
import { decodeInk, inkToPng, predictionUpdate } from './sketchpadData';

type PredictRequest = Extract<SketchpadRequest, { type: 'predict' }>;
type SaveRequest = Extract<SketchpadRequest, { type: 'savePng' }>;

export class SketchpadPanel extends PanelHost<SketchpadRequest, SketchpadUpdate> {
  static readonly kind: PanelKind = { viewType: 'mnist.sketchpad', title: 'MNIST Sketchpad', page: 'sketchpad' };
  private static readonly slot = new PanelSlot<SketchpadPanel>(SketchpadPanel.kind);

  /** While a prediction runs, only the newest request waits; older ones would be stale anyway. */
  private predicting = false;
  private queued: PredictRequest | undefined;

  static createOrShow(services: PanelServices): SketchpadPanel {
    return SketchpadPanel.slot.open(services, (panel) => new SketchpadPanel(panel, services));
  }

  static revive(panel: vscode.WebviewPanel, services: PanelServices): SketchpadPanel {
    return SketchpadPanel.slot.revive(() => new SketchpadPanel(panel, services));
  }

  /** Shows the new active model's name (call when the model changes). */
  static refresh(): void {
    void SketchpadPanel.slot.current?.postModel();
  }

  private constructor(panel: vscode.WebviewPanel, services: PanelServices) {
    super(panel, services, SketchpadPanel.kind, SketchpadRequestSchema);
  }

  protected override async onMessage(request: SketchpadRequest): Promise<void> {
    switch (request.type) {
      case 'ready':
        return this.postModel();
      case 'predict':
        return this.predict(request);
      case 'savePng':
        return this.savePng(request);
    }
  }

  private async postModel(): Promise<void> {
    this.post({ type: 'model', label: await this.activeModelLabel() });
  }

  private async predict(request: PredictRequest): Promise<void> {
    if (this.predicting) {
      this.queued = request;
      return;
    }
    this.predicting = true;
    try {
      this.post(await this.classify(request));
    } finally {
      this.predicting = false;
      const next = this.queued;
      this.queued = undefined;
      if (next && !this.isDisposed) await this.predict(next);
    }
  }

  private async classify({ requestId, ink, width, height }: PredictRequest): Promise<SketchpadUpdate> {
    const data = decodeInk(ink, width, height);
    if (!data) {
      this.services.log.warn('Sketchpad: dropped a drawing whose ink does not match its size');
      return { type: 'predictionError', requestId, message: 'The drawing could not be read.' };
    }
    try {
      const image = toMnistImage({ data, width, height, channels: 1 });
      const update = predictionUpdate(requestId, await (await this.services.classifier()).classifyImage(image));
      setImmediate(() => this.services.sketches.publish(image.pixels)); // once the prediction has been posted
      return update;
    } catch (err) {
      if (err instanceof NoDigitError) return { type: 'predictionError', requestId, message: 'Draw a digit first.' };
      this.services.log.error(`Sketchpad: prediction failed: ${errorMessage(err)}`);
      this.services.reportModelFailure(err);
      return { type: 'predictionError', requestId, message: `Prediction failed: ${errorMessage(err)}` };
    }
  }

  private async savePng({ ink, width, height, digit }: SaveRequest): Promise<void> {
    const data = decodeInk(ink, width, height);
    if (!data) return this.services.log.warn('Sketchpad: dropped a drawing whose ink does not match its size');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = pngFileName(digit);
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
      filters: { 'PNG image': ['png'] },
      saveLabel: 'Save Digit',
      title: 'Save the drawing as PNG',
    });
    if (!target) return;
    try {
      await vscode.workspace.fs.writeFile(target, inkToPng(data, width, height));
      void vscode.window.showInformationMessage(`Saved ${basename(target.path)}`);
    } catch (err) {
      this.services.log.error(`Sketchpad: saving ${target.toString(true)} failed: ${errorMessage(err)}`);
      void vscode.window.showErrorMessage(`Could not save ${basename(target.path)}: ${errorMessage(err)}`);
    }
  }
}
