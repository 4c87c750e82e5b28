// What every panel's host side shares: the page, validated messages in, typed messages out, the active model's
// label, disposal; one open panel of each kind; restoring a panel's saved state.
import type * as v from 'valibot';
import * as vscode from 'vscode';
import { errorMessage } from '../../shared/errors';
import { parseMessage } from '../../shared/messageValidation';
import { modelLabel } from './modelInfo';
import type { PanelServices } from '../services';
import { webviewHtml, webviewOptions, type PageSpec } from './webviewHtml';

/** One kind of panel: the view type VS Code restores it by, its tab title, and its page. */
export interface PanelKind extends PageSpec {
  viewType: string;
}

export abstract class PanelHost<Request, Update> implements vscode.Disposable {
  /** Released in dispose(). */
  protected readonly disposables: vscode.Disposable[] = [];
  private disposed = false;

  protected constructor(
    readonly panel: vscode.WebviewPanel,
    protected readonly services: PanelServices,
    kind: PanelKind,
    private readonly requests: v.GenericSchema<unknown, Request>,
  ) {
    panel.webview.options = webviewOptions(services.extensionUri);
    panel.webview.html = webviewHtml(panel.webview, services.extensionUri, kind);
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((message: unknown) => this.receive(message)),
    );
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Handles a message that passed validation. */
  protected abstract onMessage(request: Request): void | Promise<void>;

  /** "Model: bundled · 99.2%"; "Model: not loaded" (and logged) when the model cannot be loaded. */
  protected async activeModelLabel(): Promise<string> {
    try {
      return modelLabel(await (await this.services.classifier()).activeModel());
    } catch (err) {
      this.services.log.warn(`${this.panel.viewType}: the model could not be loaded: ${errorMessage(err)}`);
      this.services.reportModelFailure(err);
      return 'Model: not loaded';
    }
  }

  protected post(update: Update): void {
    if (this.disposed) return;
    this.panel.webview
      .postMessage(update)
      .then(undefined, (err) => this.services.log.debug(`${this.panel.viewType}: post failed: ${err}`));
  }

  private receive(message: unknown): void {
    const parsed = parseMessage(this.requests, message);
    if (!parsed.ok) {
      this.services.log.warn(`${this.panel.viewType}: dropped an invalid message from the webview (${parsed.reason})`);
      return;
    }
    Promise.resolve()
      .then(() => this.onMessage(parsed.message))
      .catch((err) =>
        this.services.log.error(
          `${this.panel.viewType}: handling "${describe(parsed.message)}" failed: ${err instanceof Error ? (err.stack ?? err.message) : err}`,
        ),
      );
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}

type OpenPanel = { readonly panel: vscode.WebviewPanel; readonly isDisposed: boolean; dispose(): void };

/** Where a panel opens: by default in the active editor's column, taking the focus. */
export interface Placement {
  viewColumn?: vscode.ViewColumn;
  preserveFocus?: boolean;
}

/** The one panel of a kind: `open` reveals it instead of making a second; a revived panel replaces it. */
export class PanelSlot<P extends OpenPanel> {
  private host: P | undefined;

  constructor(private readonly kind: PanelKind) {}

  /** The open panel, if any. */
  get current(): P | undefined {
    return this.host?.isDisposed ? undefined : this.host;
  }

  /** Reveals the open panel, or creates one around a new WebviewPanel. */
  open(services: PanelServices, create: (panel: vscode.WebviewPanel) => P, placement: Placement = {}): P {
    const viewColumn = placement.viewColumn ?? vscode.window.activeTextEditor?.viewColumn ?? vscode.ViewColumn.One;
    const preserveFocus = placement.preserveFocus ?? false;
    const open = this.current;
    if (open) {
      open.panel.reveal(viewColumn, preserveFocus);
      return open;
    }
    const panel = vscode.window.createWebviewPanel(
      this.kind.viewType,
      this.kind.title,
      { viewColumn, preserveFocus },
      webviewOptions(services.extensionUri),
    );
    return (this.host = create(panel));
  }

  /** After a window reload: the revived panel replaces any open one. */
  revive(create: () => P): P {
    this.current?.dispose();
    return (this.host = create());
  }
}

/**
 * The state VS Code kept for a panel restored after a window reload (what its webview saved), validated with the
 * schema of the panel's protocol like any message from the webview; undefined, and logged, when it does not pass
 * (e.g. saved by an older version): the panel then starts fresh.
 */
export function revivedState<const S extends v.GenericSchema>(
  schema: S,
  state: unknown,
  services: PanelServices,
  viewType: string,
): v.InferOutput<S> | undefined {
  if (state === undefined || state === null) return undefined;
  const parsed = parseMessage(schema, state);
  if (!parsed.ok) services.log.warn(`${viewType}: ignored an invalid saved state (${parsed.reason})`);
  return parsed.ok ? parsed.message : undefined;
}

function describe(message: unknown): string {
  return typeof message === 'object' && message !== null && 'type' in message ? String(message.type) : 'message';
}
