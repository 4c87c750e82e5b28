// MNIST: Classify Digit — one or many PNG or JPEG images from the Explorer, the editor title or the palette.
import * as vscode from 'vscode';
import { basename } from 'node:path';
import type { DigitClassifier } from '../../engine/classifier';
import { readImageFile } from '../../engine/image/readImageFile';
import { topDigits } from '../../engine/ranking';
import { certaintyOf } from '../../engine/uncertainty';
import { unsureText } from '../../shared/certainty';
import type { RankedDigit } from '../../shared/predictionApi';
import { formatPercent } from '../../shared/format';
import { errorMessage } from '../../shared/errors';

export interface FileClassification {
  file: string;
  uri: vscode.Uri;
  digit?: number;
  confidence?: number;
  top3?: RankedDigit[];
  /** Set when the model is not sure, e.g. "not sure: 3 or 5?". */
  unsure?: string;
  error?: string;
}

const formatTop3 = (top3: RankedDigit[]) => top3.map((t) => `${t.digit} ${formatPercent(t.probability, 1)}`).join(', ');

/** The files a command invocation is about: the Explorer multi-selection, the clicked file, or a picker. */
export async function filesToClassify(clicked?: vscode.Uri, selected?: vscode.Uri[]): Promise<vscode.Uri[]> {
  if (selected?.length) return selected;
  if (clicked instanceof vscode.Uri) return [clicked];
  const active = vscode.window.activeTextEditor?.document.uri;
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: true,
    openLabel: 'Classify',
    title: 'MNIST: choose PNG or JPEG images of digits',
    filters: { 'PNG or JPEG images': ['png', 'PNG', 'jpg', 'JPG', 'jpeg', 'JPEG'] },
    defaultUri: active ? vscode.Uri.joinPath(active, '..') : vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return picked ?? [];
}

export async function classifyFile(classifier: DigitClassifier, uri: vscode.Uri): Promise<FileClassification> {
  const file = basename(uri.path);
  try {
    const bytes = await readImageFile(uri.fsPath);
    const result = await classifier.classifyImageBytes(bytes, file);
    const top3 = topDigits(result.probabilities);
    const unsure = unsureText(certaintyOf(result));
    return { file, uri, digit: result.digit, confidence: top3[0].probability, top3, ...(unsure && { unsure }) };
  } catch (err) {
    const message = errorMessage(err);
    return { file, uri, error: message.startsWith(file) ? message : `${file}: ${message}` };
  }
}

export async function classifyCommand(
  classifier: DigitClassifier,
  log: vscode.LogOutputChannel,
  showResults: (results: FileClassification[]) => void,
  clicked?: vscode.Uri,
  selected?: vscode.Uri[],
): Promise<FileClassification[]> {
  const uris = await filesToClassify(clicked, selected);
  if (!uris.length) return [];
  const results = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'MNIST: Classifying', cancellable: false },
    async (progress) => {
      const done: FileClassification[] = [];
      for (const uri of uris) {
        progress.report({ message: basename(uri.path), increment: 100 / uris.length });
        done.push(await classifyFile(classifier, uri));
      }
      return done;
    },
  );
  for (const r of results) {
    if (r.error) log.warn(`Classify: ${r.error}`);
    else
      log.info(`Classify: ${r.file} → ${r.digit} (top 3: ${formatTop3(r.top3!)})${r.unsure ? ` — ${r.unsure}` : ''}`);
  }
  if (results.length === 1) {
    const [r] = results;
    if (r.error) void vscode.window.showErrorMessage(`MNIST: ${r.error}`);
    else if (r.unsure) void vscode.window.showWarningMessage(`${r.file}: ${r.unsure}`);
    else void vscode.window.showInformationMessage(`${r.file} → ${r.digit} (${formatPercent(r.confidence!, 1)})`);
  } else {
    const failed = results.filter((r) => r.error).length;
    showResults(results);
    const summary = `MNIST: classified ${results.length - failed} of ${results.length} images`;
    if (failed) void vscode.window.showWarningMessage(`${summary}; ${failed} could not be read (see the results).`);
    else void vscode.window.showInformationMessage(`${summary}.`);
  }
  return results;
}
