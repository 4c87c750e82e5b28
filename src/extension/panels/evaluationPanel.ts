// Host side of the evaluation: runs the test-set evaluation of the active model and serves its digits.
import type * as vscode from 'vscode';
import type { Evaluation } from '../../engine/evaluate';
import {
  EvaluationRequestSchema,
  type EvaluationRequest,
  type EvaluationUpdate,
} from '../../shared/evaluationProtocol';
import { cellDigits, evaluationView, robustnessView, sampleDigits } from './evaluationData';
import { loadEngineHost } from '../loadEngineHost';
import { ROBUSTNESS_PANEL_DIGITS } from '../../shared/limits';
import { errorMessage } from '../../shared/errors';
import { PanelHost, PanelSlot, type PanelKind } from './panelHost';
import type { PanelServices } from '../services';

type Outcome =
  | { state: 'running'; label: string }
  | { state: 'done'; evaluation: Evaluation; update: EvaluationUpdate }
  | { state: 'failed'; message: string };

export class EvaluationPanel extends PanelHost<EvaluationRequest, EvaluationUpdate> {
  static readonly kind: PanelKind = { viewType: 'mnist.evaluation', title: 'MNIST Evaluation', page: 'evaluation' };
  private static readonly slot = new PanelSlot<EvaluationPanel>(EvaluationPanel.kind);

  private outcome: Outcome | undefined;
  /** Identifies the newest run: results of older runs are dropped. */
  private run = 0;
  /** Stops the running robustness report (a new request or closing the panel). */
  private robustness: AbortController | undefined;

  /** Opens (or reveals) the panel and evaluates the active model (cached per model by the service). */
  static createOrShow(services: PanelServices): EvaluationPanel {
    const host = EvaluationPanel.slot.open(services, (panel) => new EvaluationPanel(panel, services));
    void host.evaluate();
    return host;
  }

  /** After a window reload: evaluates again once the webview is ready. */
  static revive(panel: vscode.WebviewPanel, services: PanelServices): EvaluationPanel {
    return EvaluationPanel.slot.revive(() => new EvaluationPanel(panel, services));
  }

  /** The active model changed: the open panel offers to evaluate again (evaluation takes a while). */
  static refresh(): void {
    void EvaluationPanel.slot.current?.markStale();
  }

  private constructor(panel: vscode.WebviewPanel, services: PanelServices) {
    super(panel, services, EvaluationPanel.kind, EvaluationRequestSchema);
    this.disposables.push({ dispose: () => this.robustness?.abort() });
  }

  protected override async onMessage(request: EvaluationRequest): Promise<void> {
    switch (request.type) {
      case 'ready':
        return this.postOutcome();
      case 'evaluate':
        return this.evaluate();
      case 'cell':
        return this.postCell(request.requestId, request.label, request.predicted);
      case 'samples':
        return this.postSamples(request.requestId);
      case 'robustness':
        return this.postRobustness(request.requestId);
    }
  }

  private async evaluate(): Promise<void> {
    const run = ++this.run;
    // Set before any await, so that a 'ready' arriving meanwhile does not start a second run.
    this.outcome = { state: 'running', label: 'Model: loading…' };
    const label = await this.activeModelLabel();
    if (run !== this.run) return;
    this.outcome = { state: 'running', label };
    void this.postOutcome();
    let outcome: Outcome;
    try {
      const [evaluation, mnist] = await Promise.all([this.services.evaluateActiveModel(), this.services.mnist()]);
      outcome = {
        state: 'done',
        evaluation,
        update: {
          type: 'evaluation',
          evaluation: evaluationView(evaluation, mnist.test, await this.activeModelLabel()),
        },
      };
    } catch (err) {
      this.services.log.error(`Evaluation failed: ${errorMessage(err)}`);
      outcome = { state: 'failed', message: `The evaluation failed: ${errorMessage(err)}` };
    }
    if (run !== this.run || this.isDisposed) return;
    this.outcome = outcome;
    void this.postOutcome();
  }

  /** Sends the current state; a webview that (re)loads asks for it with 'ready'. */
  private async postOutcome(): Promise<void> {
    const outcome = this.outcome;
    if (!outcome) return this.evaluate();
    if (outcome.state === 'running') this.post({ type: 'evaluating', modelLabel: outcome.label });
    else if (outcome.state === 'done') this.post(outcome.update);
    else this.post({ type: 'evaluationError', message: outcome.message });
  }

  private async markStale(): Promise<void> {
    if (this.outcome?.state === 'done') this.post({ type: 'stale', modelLabel: await this.activeModelLabel() });
  }

  private async postCell(requestId: number, label: number, predicted: number): Promise<void> {
    if (this.outcome?.state !== 'done') {
      return this.post({ type: 'requestError', requestId, message: 'The evaluation is not ready yet.' });
    }
    const { test } = await this.services.mnist();
    this.post({
      type: 'cell',
      requestId,
      label,
      predicted,
      ...cellDigits(this.outcome.evaluation, test, label, predicted),
    });
  }

  private async postSamples(requestId: number): Promise<void> {
    try {
      const { train } = await this.services.mnist();
      this.post({ type: 'samples', requestId, classes: sampleDigits(train) });
    } catch (err) {
      this.post({
        type: 'requestError',
        requestId,
        message: `The training digits could not be loaded: ${errorMessage(err)}`,
      });
    }
  }

  /**
   * The active model's robustness report on the first ROBUSTNESS_PANEL_DIGITS test digits, in small batches between
   * which the extension host's other work runs.
   */
  private async postRobustness(requestId: number): Promise<void> {
    this.robustness?.abort();
    const controller = (this.robustness = new AbortController());
    try {
      const [{ model }, { test }] = await Promise.all([
        (await this.services.classifier()).activeModel(),
        this.services.mnist(),
      ]);
      const report = await loadEngineHost().robustnessReport(model, test, {
        limit: ROBUSTNESS_PANEL_DIGITS,
        batchSize: 50,
        signal: controller.signal,
        onProgress: (done, total) => this.post({ type: 'robustnessProgress', requestId, done, total }),
      });
      this.post({ type: 'robustness', requestId, report: robustnessView(report) });
    } catch (err) {
      if (controller.signal.aborted) return;
      this.services.log.error(`Robustness report failed: ${errorMessage(err)}`);
      this.post({ type: 'requestError', requestId, message: `The robustness report failed: ${errorMessage(err)}` });
    }
  }
}
