// The page skeleton every panel uses: a fresh nonce, a strict Content-Security-Policy, the codicon font, the
// panel's styles and its one script, all loaded from the extension's dist/ and media/ folders only.
// Imports vscode only as types (Uri.with builds the paths), so it can be unit-tested.
import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import type * as vscode from 'vscode';

export interface PageSpec {
  title: string;
  /** e.g. "sketchpad": the script dist/webview/sketchpad.js and the styles media/sketchpad.css. */
  page: string;
}

/** The styles in media/ every panel loads before its own. */
const SHARED_STYLES = 'panels.css';

type WebviewLike = Pick<vscode.Webview, 'cspSource' | 'asWebviewUri'>;

/** Folders the webviews may load from. */
export const RESOURCE_FOLDERS = ['dist', 'media'] as const;

export function extensionFile(extensionUri: vscode.Uri, ...segments: string[]): vscode.Uri {
  return extensionUri.with({ path: posix.join(extensionUri.path, ...segments) });
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    localResourceRoots: RESOURCE_FOLDERS.map((folder) => extensionFile(extensionUri, folder)),
  };
}

export function createNonce(): string {
  return randomBytes(24).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A complete page for one panel, with a nonce of its own. */
export function webviewHtml(
  webview: WebviewLike,
  extensionUri: vscode.Uri,
  spec: PageSpec,
  nonce = createNonce(),
): string {
  const uri = (...segments: string[]) =>
    escapeHtml(webview.asWebviewUri(extensionFile(extensionUri, ...segments)).toString());
  const styles = [SHARED_STYLES, `${spec.page}.css`].map(
    (name) => `<link rel="stylesheet" nonce="${nonce}" href="${uri('media', name)}">`,
  );
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(webview.cspSource, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(spec.title)}</title>
<link rel="stylesheet" nonce="${nonce}" id="vscode-codicon-stylesheet" href="${uri('dist', 'webview', 'codicon.css')}">
${styles.join('\n')}
</head>
<body>
<noscript>This panel needs JavaScript.</noscript>
<script nonce="${nonce}" src="${uri('dist', 'webview', `${spec.page}.js`)}"></script>
</body>
</html>`;
}
