// Host side of the network panel: every layer's output for the sketchpad's latest drawing, the first convolution's
// filters and the top digits' saliency, recomputed when the drawing or the model changes (only the newest drawing
// waits while one is computed, so the sketchpad stays as responsive as without it).
import * as vscode from 'vscode';
import { NetworkRequestSchema, type NetworkRequest, type NetworkUpdate } from '../../shared/networkProtocol';
import { errorMessage } from '../../shared/errors';
import { loadEngineHost } from '../loadEngineHost';
import { PanelHost, PanelSlot, type PanelKind } from './panelHost';
import type { PanelServices } from '../services';
import { activationsUpdate, filtersView } from './networkData';

export class NetworkPanel extends PanelHost<NetworkRequest, NetworkUpdate> {
  static readonly kind: PanelKind = { viewType: 'mnist.network', title: 'MNIST Network', page: 'network' };
  private static readonly slot = new PanelSlot<NetworkPanel>(NetworkPanel.kind);

  private computing = false;
  private pending: Float32Array | undefined;

  /** Opens beside the active editor (the sketchpad), keeping the focus where it is. */
  static createOrShow(services: PanelServices): NetworkPanel {
    return NetworkPanel.slot.open(services, (panel) => new NetworkPanel(panel, services), {
      viewColumn: vscode.ViewColumn.Beside,
      preserveFocus: true,
    });
  }

  static revive(panel: vscode.WebviewPanel, services: PanelServices): NetworkPanel {
    return NetworkPanel.slot.revive(() => new NetworkPanel(panel, services));
  }

  /** Shows the new active model's filters and activations. */
  static refresh(): void {
    void NetworkPanel.slot.current?.postModel();
  }

  private constructor(panel: vscode.WebviewPanel, services: PanelServices) {
    super(panel, services, NetworkPanel.kind, NetworkRequestSchema);
    this.disposables.push(services.sketches.onDidPublish((pixels) => void this.show(pixels)));
  }

  protected override onMessage(request: NetworkRequest): Promise<void> {
    switch (request.type) {
      case 'ready':
        return this.postModel();
    }
  }

  private async postModel(): Promise<void> {
    const label = await this.activeModelLabel();
    try {
      const { model } = await (await this.services.classifier()).activeModel();
      const filters = loadEngineHost().firstConvolutionFilters(model);
      this.post({ type: 'model', label, filters: filters && filtersView(filters) });
    } catch {
      this.post({ type: 'model', label }); // activeModelLabel has reported why
      return;
    }
    const latest = this.services.sketches.latest;
    if (latest) await this.show(latest);
    else this.post({ type: 'waiting' });
  }

  private async show(pixels: Float32Array): Promise<void> {
    if (this.computing) {
      this.pending = pixels;
      return;
    }
    this.computing = true;
    try {
      const { model } = await (await this.services.classifier()).activeModel();
      this.post(activationsUpdate(pixels, loadEngineHost().networkActivations(model, pixels)));
    } catch (err) {
      this.services.log.warn(`Network: the activations could not be computed: ${errorMessage(err)}`);
      this.post({ type: 'activationsError', message: `The activations could not be computed: ${errorMessage(err)}` });
    } finally {
      this.computing = false;
      const next = this.pending;
      this.pending = undefined;
      if (next && !this.isDisposed) await this.show(next);
    }
  }
}
