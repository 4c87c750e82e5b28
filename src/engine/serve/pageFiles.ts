// GET /: the sketchpad panel's own script as a plain web page, with the adapter that sends its drawings to POST
// /predict (src/webview/sketchpad/serverConnection.ts). Its files are a fixed list: no path from a request ever
// reaches the file system. URLs are relative, so the page also works behind a proxy's path prefix (code-server's
// /proxy/PORT/).
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SERVER_PATHS } from '../../shared/predictionApi';
import { BUILD_DIR, projectRoot } from '../paths';

interface Asset {
  /** Below the project root. */
  path: string[];
  type: string;
}

const ASSETS: Record<string, Asset> = {
  'sketchpad.js': { path: [BUILD_DIR, 'webview', 'sketchpadWeb.js'], type: 'text/javascript; charset=utf-8' },
  'codicon.css': { path: [BUILD_DIR, 'webview', 'codicon.css'], type: 'text/css; charset=utf-8' },
  'codicon.ttf': { path: [BUILD_DIR, 'webview', 'codicon.ttf'], type: 'font/ttf' },
  'panels.css': { path: ['media', 'panels.css'], type: 'text/css; charset=utf-8' },
  'sketchpad.css': { path: ['media', 'sketchpad.css'], type: 'text/css; charset=utf-8' },
  'sketchpadWeb.css': { path: ['media', 'sketchpadWeb.css'], type: 'text/css; charset=utf-8' },
};

const STYLES = ['sketchpadWeb.css', 'panels.css', 'sketchpad.css'];

/** A body to answer with, its type and headers. */
export interface Reply {
  body: Buffer | string;
  type: string;
  headers?: Record<string, string>;
}

/** The asset a request path names (SERVER_PATHS.assets + a name of the list), or undefined. */
export function assetName(path: string): string | undefined {
  if (!path.startsWith(SERVER_PATHS.assets)) return undefined;
  const name = path.slice(SERVER_PATHS.assets.length);
  return Object.hasOwn(ASSETS, name) ? name : undefined;
}

const cache = new Map<string, Promise<Buffer>>();

export async function readAsset(name: string): Promise<Reply> {
  const asset = ASSETS[name];
  let bytes = cache.get(name);
  if (!bytes) {
    bytes = readFile(join(projectRoot(), ...asset.path));
    cache.set(name, bytes);
    bytes.catch(() => cache.delete(name));
  }
  return { body: await bytes, type: asset.type, headers: { 'Cache-Control': 'no-cache' } };
}

export function sketchpadPage(): Reply {
  const nonce = randomBytes(18).toString('base64');
  const csp = [
    `default-src 'none'`,
    `script-src 'nonce-${nonce}'`,
    `style-src 'self' 'nonce-${nonce}'`,
    `img-src 'self' data:`,
    `font-src 'self'`,
    `connect-src 'self'`,
    `base-uri 'none'`,
    `form-action 'none'`,
    `frame-ancestors 'none'`,
  ].join('; ');
  const asset = (name: string) => `.${SERVER_PATHS.assets}${name}`;
  const styles = STYLES.map((name) => `<link rel="stylesheet" nonce="${nonce}" href="${asset(name)}">`);
  const body = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>MNIST Sketchpad</title>
<link rel="stylesheet" nonce="${nonce}" id="vscode-codicon-stylesheet" href="${asset('codicon.css')}">
${styles.join('\n')}
</head>
<body>
<noscript>This page needs JavaScript.</noscript>
<script nonce="${nonce}" src="${asset('sketchpad.js')}"></script>
</body>
</html>`;
  return {
    body,
    type: 'text/html; charset=utf-8',
    headers: { 'Content-Security-Policy': csp, 'Cache-Control': 'no-store' },
  };
}
