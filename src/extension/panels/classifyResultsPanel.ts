// Host side of the classification results table; opens only the files it was given.
import * as vscode from 'vscode';
import {
  ClassifyResultsRequestSchema,
  ClassifyResultsStateSchema,
  type ClassifyResultsRequest,
  type ClassifyResultsUpdate,
  type ClassifyRowView,
} from '../../shared/classifyResultsProtocol';
import { errorMessage } from '../../shared/errors';
import { PanelHost, PanelSlot, revivedState, type PanelKind } from './panelHost';
import type { PanelServices } from '../services';

export interface ClassifyResult {
  /** A file path or a URI string. */
  file: string;
  digit?: number;
  confidence?: number;
  top3?: { digit: number; probability: number }[];
  unsure?: string;
  error?: string;
}

/** A URI string ("file:///…", "vscode-remote://…") or a plain path (also Windows "C:\…"). */
export function resultUri(file: string): vscode.Uri {
  return /^[a-z][a-z0-9+.-]+:/i.test(file) ? vscode.Uri.parse(file, true) : vscode.Uri.file(file);
}

export class ClassifyResultsPanel extends PanelHost<ClassifyResultsRequest, ClassifyResultsUpdate> {
  static readonly kind: PanelKind = {
    viewType: 'mnist.classifyResults',
    title: 'Digit Classification',
    page: 'classifyResults',
  };
  private static readonly slot = new PanelSlot<ClassifyResultsPanel>(ClassifyResultsPanel.kind);

  private rows: ClassifyRowView[] = [];

  /** Shows `results` in the panel (opened or revealed), replacing what it showed. */
  static show(services: PanelServices, results: ClassifyResult[]): ClassifyResultsPanel {
    const host = ClassifyResultsPanel.slot.open(services, (panel) => new ClassifyResultsPanel(panel, services));
    host.setRows(results.map(toRow));
    return host;
  }

  /** After a window reload: the rows come from the webview's saved state, validated like any message. */
  static revive(panel: vscode.WebviewPanel, services: PanelServices, state: unknown): ClassifyResultsPanel {
    const current = ClassifyResultsPanel.slot.revive(() => new ClassifyResultsPanel(panel, services));
    const saved = revivedState(ClassifyResultsStateSchema, state, services, ClassifyResultsPanel.kind.viewType);
    if (saved) current.rows = saved.rows.map((row) => toRow(row));
    return current;
  }

  private constructor(panel: vscode.WebviewPanel, services: PanelServices) {
    super(panel, services, ClassifyResultsPanel.kind, ClassifyResultsRequestSchema);
  }

  private setRows(rows: ClassifyRowView[]): void {
    this.rows = rows;
    this.post({ type: 'results', rows });
  }

  protected override async onMessage(request: ClassifyResultsRequest): Promise<void> {
    switch (request.type) {
      case 'ready':
        return this.post({ type: 'results', rows: this.rows });
      case 'open': {
        const row = this.rows[request.index];
        if (!row) return this.services.log.warn(`Classification results: no row ${request.index} to open`);
        try {
          await vscode.commands.executeCommand('vscode.open', resultUri(row.file));
        } catch (err) {
          void vscode.window.showErrorMessage(`Could not open ${row.name}: ${errorMessage(err)}`);
        }
      }
    }
  }
}

function toRow(result: ClassifyResult): ClassifyRowView {
  return {
    file: result.file,
    name: vscode.workspace.asRelativePath(resultUri(result.file), false),
    digit: result.digit,
    confidence: result.confidence,
    top3: result.top3,
    unsure: result.unsure,
    error: result.error,
  };
}
