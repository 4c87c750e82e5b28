// MNIST: Start / Stop Prediction Server and Open Prediction Server in Browser: the engine's server in the extension
// host, answering with the active model (it follows the model when that changes), on 127.0.0.1 and the port of
// mnist.server.port. While it runs, a status-bar item shows its address; a click opens the page.
import * as vscode from 'vscode';
import type { PredictionServer } from '../../engine/serve/predictionServer';
import { errorMessage } from '../../shared/errors';
import { SERVER_PATHS } from '../../shared/predictionApi';
import { loadEngineHost } from '../loadEngineHost';
import type { LazyClassifier } from '../services';
import { serverPortFromSettings } from '../settings';
import { readMnistSetting, warnSetting } from '../vscodeSettings';

const RUNNING_CONTEXT = 'mnist.predictionServerRunning';
const HOST = '127.0.0.1';

export class PredictionServerController implements vscode.Disposable {
  private server: PredictionServer | undefined;
  private starting: Promise<PredictionServer> | undefined;
  private readonly item = vscode.window.createStatusBarItem(
    'mnist.predictionServer',
    vscode.StatusBarAlignment.Right,
    99,
  );

  constructor(
    private readonly classifier: LazyClassifier,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.item.name = 'MNIST Prediction Server';
    this.item.command = 'mnist.openPredictionServer';
  }

  /** Starts the server (or says where it runs); returns its address, or undefined when it could not start. */
  async start(): Promise<string | undefined> {
    if (this.server) {
      void this.announce(this.server, 'is running');
      return this.server.url;
    }
    const port = serverPortFromSettings(readMnistSetting, warnSetting);
    try {
      this.starting ??= this.listen(port);
      this.server = await this.starting;
    } catch (err) {
      const inUse = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
      const message = inUse ? `port ${port} is in use; set mnist.server.port to another one` : errorMessage(err);
      this.log.error(`Prediction server: could not start: ${message}`);
      void vscode.window
        .showErrorMessage(`MNIST: the prediction server could not start: ${message}`, 'Open Settings')
        .then((choice) => {
          if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'mnist.server.port');
        });
      return undefined;
    } finally {
      this.starting = undefined;
    }
    const { url } = this.server;
    this.log.info(
      `Prediction server: ${url} (POST ${url}${SERVER_PATHS.predict.slice(1)}; the sketchpad page at ${url})`,
    );
    this.item.text = `$(broadcast) ${new URL(url).host}`; // no "MNIST": that names the model's item
    this.item.tooltip = `MNIST prediction server at ${url}, answering with the active model.\nClick to open its sketchpad page.`;
    this.item.show();
    void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT, true);
    void this.announce(this.server, 'started');
    return url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.item.hide();
    void vscode.commands.executeCommand('setContext', RUNNING_CONTEXT, false);
    await server.close();
    this.log.info(`Prediction server: stopped (${server.url})`);
    void vscode.window.showInformationMessage('MNIST: the prediction server stopped.');
  }

  /** Opens the page in the browser, through the forwarded address in remote windows and code-server. */
  async openInBrowser(): Promise<string | undefined> {
    if (!this.server && !(await this.start())) return undefined;
    const external = await vscode.env.asExternalUri(vscode.Uri.parse(this.server!.url));
    await vscode.env.openExternal(external);
    return external.toString(true);
  }

  private async listen(port: number): Promise<PredictionServer> {
    return loadEngineHost().startPredictionServer(await this.classifier.get(), {
      port,
      host: HOST,
      log: (line) => this.log.error(`Prediction server: ${line}`),
    });
  }

  private async announce(server: PredictionServer, what: string): Promise<void> {
    const choice = await vscode.window.showInformationMessage(
      `MNIST: the prediction server ${what} at ${server.url}`,
      'Open in Browser',
    );
    if (choice) await this.openInBrowser();
  }

  dispose(): void {
    this.item.dispose();
    void this.server?.close();
    this.server = undefined;
  }
}
