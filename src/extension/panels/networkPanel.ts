// Host side of the network panel: every layer's output for the sketchpad's latest drawing, the first convolution's
// filters and the top digits' saliency, recomputed when the drawing or the model changes: for the newest drawing only,
// at most every UPDATE_INTERVAL_MS, so that the sketchpad's own predictions stay as quick as without the panel.
import * as vscode from 'vscode';
import { NetworkRequestSchema, type NetworkRequest, type NetworkUpdate } from '../../shared/networkProtocol';
import { errorMessage } from '../../shared/errors';
import { loadEngineHost } from '../loadEngineHost';
import { PanelHost, PanelSlot, type PanelKind } from './panelHost';
import type { PanelServices } from '../services';
import { activationsUpdate, filtersView } from './networkData';
import { throttle } from '../../shared/throttle';

/** One update takes about 10 ms of the extension host's thread (README, See inside the network). */
const UPDATE_INTERVAL_MS = 100;

export class NetworkPanel extends PanelHost<NetworkRequest, NetworkUpdate> {
  static readonly kind: PanelKind = { viewType: 'mnist.network', title: 'MNIST Network', page: 'network' };
  private static readonly slot = new PanelSlot<NetworkPanel>(NetworkPanel.kind);

  private readonly update = throttle(() => void this.show(), UPDATE_INTERVAL_MS);

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
    this.disposables.push(
      services.sketches.onDidPublish(() => this.update()),
      { dispose: () => this.update.cancel() },
    );
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
    if (this.services.sketches.latest) await this.show();
    else this.post({ type: 'waiting' });
  }

  /** Shows the sketchpad's latest drawing. */
  private async show(): Promise<void> {
    const pixels = this.services.sketches.latest;
    if (!pixels || this.isDisposed) return;
    try {
      const { model } = await (await this.services.classifier()).activeModel();
      this.post(activationsUpdate(pixels, loadEngineHost().networkActivations(model, pixels)));
    } catch (err) {
      this.services.log.warn(`Network: the activations could not be computed: ${errorMessage(err)}`);
      this.post({ type: 'activationsError', message: `The activations could not be computed: ${errorMessage(err)}` });
    }
  }
}
