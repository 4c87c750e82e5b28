// The one reader of model files: regular files inside the model's folder only, their size checked before they are
// read and never exceeded while reading, all asynchronous. Model folders come from places the user does not control.
import { constants, type Stats } from 'node:fs';
import { lstat, open, readdir, realpath, stat, type FileHandle } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';

/** What a model may hold; far above the digit classifiers' needs (the bundled one: 93,322 parameters, 365 KB). */
export const MODEL_LIMITS = {
  modelJsonBytes: 4 * 2 ** 20,
  weightBytes: 256 * 2 ** 20,
  weightFiles: 1000,
  parameters: 50_000_000,
  layers: 1000,
  /** Values one layer may output for one image (the bundled model's largest: 21,632). */
  layerOutputValues: 2 ** 17,
  /** Multiply-adds for one image, estimated from each layer's weights and output (the bundled model: 2.8M). */
  multiplyAdds: 250_000_000,
  /** A Keras file (.keras or .h5): the weights plus an optimizer's state (Adam keeps two values per weight). */
  kerasFileBytes: 800 * 2 ** 20,
} as const;

/** Keras model files, by their extension; anything else is a TensorFlow.js Layers folder. */
export function isKerasFile(path: string): boolean {
  return /\.(keras|h5|hdf5)$/i.test(path);
}

/** A model file that cannot be used, and why: the message starts with the file's path. */
export class ModelFileError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'ModelFileError';
  }
}

/** Sizes for messages: exact below 1 MB (373,288 bytes), else in MB or GB (4 MB, 1.77 GB). */
export function formatBytes(bytes: number): string {
  if (bytes < 2 ** 20) return `${bytes.toLocaleString('en')} bytes`;
  const [value, unit] = bytes < 2 ** 30 ? [bytes / 2 ** 20, 'MB'] : [bytes / 2 ** 30, 'GB'];
  return `${Number(value.toPrecision(3))} ${unit}`;
}

/** What a missing or too large file means, per kind of file. */
const ROLES = {
  modelJson: {
    missing: (name: string) => `no model here (${name} is missing)`,
    limit: (maxBytes: number) => `the ${formatBytes(maxBytes)} a model.json may have`,
  },
  weights: {
    missing: () => 'weights file is missing or unreadable: there is no such file',
    limit: (maxBytes: number) => `the ${formatBytes(maxBytes)} of weights model.json lists`,
  },
};
type FileRole = keyof typeof ROLES;

/** Reads `name` in the model folder `dir` whole, refusing anything but a regular file of at most `maxBytes`. */
export async function readModelFile(dir: string, name: string, maxBytes: number): Promise<Uint8Array> {
  const file = await openModelFile(dir, name, maxBytes, 'modelJson');
  try {
    const data = new Uint8Array(file.size);
    await readExactly(file, data);
    return data;
  } finally {
    await file.handle.close();
  }
}

/** Reads each file of `names` (checked to add up to `bytes` before any is read) into one buffer, in order. */
export async function readWeightFiles(
  dir: string,
  names: string[],
  bytes: number,
  file: string,
): Promise<{ data: Uint8Array; sizes: number[] }> {
  const sizes: number[] = [];
  for (const name of names) sizes.push((await checkModelFile(dir, name, bytes, 'weights')).info.size);
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total !== bytes) {
    throw new ModelFileError(file, `weights are damaged or truncated: ${total} bytes, expected ${bytes}`);
  }
  const data = new Uint8Array(bytes);
  let offset = 0;
  for (const [i, name] of names.entries()) {
    const opened = await openModelFile(dir, name, sizes[i], 'weights');
    try {
      if (opened.size !== sizes[i]) throw new ModelFileError(opened.path, 'changed while it was being read');
      await readExactly(opened, data.subarray(offset, offset + sizes[i]));
    } finally {
      await opened.handle.close();
    }
    offset += sizes[i];
  }
  return { data, sizes };
}

/**
 * A summary of the folder's entries (names, sizes, times, inodes) that changes whenever a file in it is
 * replaced, edited, added or removed (for a model file, .keras or .h5: the file's): a failed load is retried only
 * when it changes.
 */
export async function folderStamp(dir: string): Promise<string> {
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) return statStamp(info);
    const names = (await readdir(dir)).sort().slice(0, MODEL_LIMITS.weightFiles + 10);
    const entries = await Promise.all(names.map(async (name) => `${name}:${statStamp(await lstat(join(dir, name)))}`));
    return [statStamp(await stat(dir)), ...entries].join('\n');
  } catch (err) {
    return `unreadable: ${(err as NodeJS.ErrnoException).code}`;
  }
}

function statStamp(info: Stats): string {
  return `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
}

interface OpenModelFile {
  path: string;
  handle: FileHandle;
  size: number;
}

/** The file's path after symbolic links, and what stat says of it; throws unless it may be read. */
async function checkModelFile(
  dir: string,
  name: string,
  maxBytes: number,
  role: FileRole,
): Promise<{ path: string; info: Stats }> {
  const path = join(dir, name);
  const info = await lstat(path).catch((err) => {
    throw new ModelFileError(path, unreadable(err, ROLES[role].missing(name)));
  });
  const checked = info.isSymbolicLink() ? await followLink(dir, path) : { path, info };
  if (!checked.info.isFile()) throw new ModelFileError(path, `is ${fileKind(checked.info)}, not a regular file`);
  if (checked.info.size > maxBytes) {
    throw new ModelFileError(path, `is ${formatBytes(checked.info.size)}, more than ${ROLES[role].limit(maxBytes)}`);
  }
  return checked;
}

/** Where the link `path` in `dir` leads, when that is inside `dir`. */
async function followLink(dir: string, path: string): Promise<{ path: string; info: Stats }> {
  try {
    const real = await realpath(path);
    if (!isInside(await realpath(dir), real)) {
      throw new ModelFileError(path, "is a symbolic link to a file outside the model's folder");
    }
    return { path: real, info: await stat(real) };
  } catch (err) {
    if (err instanceof ModelFileError) throw err;
    throw new ModelFileError(path, brokenLink(err));
  }
}

/** Opens a checked file without following a link or waiting on a FIFO swapped in since, and checks it again. */
async function openModelFile(dir: string, name: string, maxBytes: number, role: FileRole): Promise<OpenModelFile> {
  const { path, info } = await checkModelFile(dir, name, maxBytes, role);
  const shown = join(dir, name);
  const flags = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
  const handle = await open(path, flags).catch((err) => {
    throw new ModelFileError(shown, unreadable(err, ROLES[role].missing(name)));
  });
  const opened = await handle.stat();
  if (!opened.isFile() || opened.ino !== info.ino || opened.dev !== info.dev || opened.size > maxBytes) {
    await handle.close();
    throw new ModelFileError(shown, 'changed while it was being read');
  }
  return { path: shown, handle, size: opened.size };
}

/** Fills `target` from the file and checks that nothing follows: a file that grew or shrank is refused. */
async function readExactly(file: OpenModelFile, target: Uint8Array): Promise<void> {
  let length = 0;
  while (length < target.length) {
    const { bytesRead } = await file.handle.read(target, length, target.length - length, null);
    if (bytesRead === 0) throw new ModelFileError(file.path, 'shrank while it was being read');
    length += bytesRead;
  }
  const { bytesRead } = await file.handle.read(new Uint8Array(1), 0, 1, null);
  if (bytesRead !== 0) throw new ModelFileError(file.path, 'grew while it was being read');
}

function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && !isAbsolute(rel) && rel.split(sep)[0] !== '..';
}

function unreadable(err: unknown, missing: string): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return missing;
  if (code === 'ENOTDIR') return 'no model here (the model path is a file, not a folder)';
  return `cannot be read (${code ?? (err as Error).message})`;
}

function brokenLink(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') return 'is a loop of symbolic links';
  if (code === 'ENOENT') return 'is a symbolic link to a missing file';
  return `is a symbolic link that cannot be followed (${code})`;
}

function fileKind(info: Stats): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'not a file';
}
