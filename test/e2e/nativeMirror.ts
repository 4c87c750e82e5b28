// A local stand-in for the hosts @tensorflow/tfjs-node's install step downloads from (libtensorflow and the prebuilt
// addon), serving test/native/setup.sh's .cache/native/mirror/. Its address is known before it listens, so the
// install command can first meet it offline (connection refused), then online.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { freePort } from './codeServer';

export interface NativeMirror {
  /** What code-server's environment needs for tfjs-node's install step to download from here. */
  env: Record<string, string>;
  /** Starts answering (until then, connections are refused). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function nativeMirror(root: string): Promise<NativeMirror> {
  if (!existsSync(path.join(root, 'tensorflow')))
    throw new Error(`no native mirror in ${root}: run bash test/native/setup.sh`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  let server: Server | undefined;
  return {
    env: {
      TFJS_NODE_CDN_STORAGE: url,
      npm_config_tfjs_binding_binary_host_mirror: `${url}pre-built-binary/`,
    },
    start: () =>
      new Promise((resolve, reject) => {
        server = createServer((request, response) => {
          const file = path.join(root, path.normalize(decodeURIComponent(request.url ?? '/').split('?')[0]));
          if (!file.startsWith(root + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
            response.writeHead(404).end();
            return;
          }
          response.writeHead(200, { 'content-length': statSync(file).size });
          createReadStream(file).pipe(response);
        });
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve());
      }),
    stop: () => new Promise((resolve) => (server ? server.close(() => resolve()) : resolve())),
  };
}
