// HDF5 files in memory through h5wasm (the HDF5 C library compiled to wasm), loaded on first use only: reading with
// every dataset and attribute size checked before its values are read, and writing.
import type * as H5 from 'h5wasm/node';
import { MODEL_LIMITS, ModelFileError } from '../model/modelFiles';

export type H5Group = H5.Group;
type H5Module = typeof H5;

/** The library and its Emscripten file system, where HDF5 files are held while read or written. */
interface Hdf5 {
  h5: H5Module;
  fs: NonNullable<H5Module['FS']>;
}

let loading: Promise<Hdf5> | undefined;
let fileCount = 0;

/** Strings in an attribute: a JSON config or a list of names. */
const MAX_ATTRIBUTE_BYTES = MODEL_LIMITS.modelJsonBytes;
/** H5T_class_t values. */
const H5T_FLOAT = 1;
const H5T_STRING = 3;

/** The parts of Emscripten's file system API (not in h5wasm's types) that reopen a standard stream. */
interface EmscriptenStreams {
  getStream(fd: number): unknown;
  close(stream: unknown): void;
  open(path: string, flags: string): { fd: number };
}

/**
 * h5wasm, loaded once. HDF5 prints its whole error stack to stderr for a damaged file; the errors come back as
 * exceptions, so the wasm module's own stderr (fd 2 in its file system) is pointed at its /dev/null.
 */
function h5wasm(): Promise<Hdf5> {
  loading ??= import('h5wasm/node').then(async (h5) => {
    // The file system of the module `ready` gives: from the bundle (dist/h5wasm.js) the FS export is not live.
    const fs = (await h5.ready).FS;
    const streams = fs as unknown as EmscriptenStreams;
    streams.close(streams.getStream(2));
    if (streams.open('/dev/null', 'w').fd !== 2) throw new Error('h5wasm: could not silence HDF5 error reports');
    return { h5, fs };
  });
  return loading;
}

/** Runs `read` on the HDF5 file held in `bytes`; any HDF5 failure becomes a ModelFileError naming `file`. */
export async function readHdf5<T>(bytes: Uint8Array, file: string, read: (root: H5Group) => T): Promise<T> {
  const { h5, fs } = await h5wasm();
  if (!isHdf5(bytes)) throw new ModelFileError(file, 'is not an HDF5 file (its signature is missing)');
  const name = `/read-${process.pid}-${++fileCount}.h5`;
  fs.writeFile(name, bytes);
  let opened: H5.File | undefined;
  try {
    opened = new h5.File(name, 'r');
    return read(opened);
  } catch (err) {
    if (err instanceof ModelFileError) throw err;
    throw new ModelFileError(file, `is a damaged HDF5 file (${firstLine(err)})`);
  } finally {
    try {
      opened?.close();
    } catch {
      // A file HDF5 could not read may not close cleanly either; its memory is freed below.
    }
    fs.unlink(name);
  }
}

/** Builds an HDF5 file with `write` and returns its bytes. */
export async function writeHdf5(write: (root: H5Group, h5: H5Module) => void): Promise<Uint8Array> {
  const { h5, fs } = await h5wasm();
  const name = `/write-${process.pid}-${++fileCount}.h5`;
  try {
    const created = new h5.File(name, 'w');
    try {
      write(created, h5);
    } finally {
      created.close();
    }
    return fs.readFile(name);
  } finally {
    if (fs.analyzePath(name).exists) fs.unlink(name);
  }
}

/** HDF5's signature, at offset 0 (a user block would move it; Keras never writes one). */
function isHdf5(bytes: Uint8Array): boolean {
  const signature = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
  return bytes.length >= 8 && signature.every((b, i) => bytes[i] === b);
}

/** The group at `path`, or undefined when there is none (or it is not a group). */
export function group(root: H5Group, path: string): H5Group | undefined {
  const entity = root.get(path);
  return entity && 'type' in entity && entity.type === 'Group' ? (entity as H5Group) : undefined;
}

/** A float dataset's shape and values as float32, its size checked against `maxValues` before it is read. */
export function readFloats(
  root: H5Group,
  path: string,
  maxValues: number,
  file: string,
): { shape: number[]; values: Float32Array } {
  const entity = root.get(path);
  if (!entity || !('type' in entity) || entity.type !== 'Dataset')
    throw new ModelFileError(file, `has no dataset ${path}`);
  const dataset = entity as H5.Dataset;
  const metadata = dataset.metadata;
  const shape = dataset.shape ?? [];
  if (metadata.type !== H5T_FLOAT || (metadata.size !== 4 && metadata.size !== 8)) {
    throw new ModelFileError(file, `the dataset ${path} does not hold float32 or float64 values`);
  }
  const values = shape.reduce((a, b) => a * b, 1);
  if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0) || values > maxValues) {
    throw new ModelFileError(file, `the dataset ${path} has the shape ${JSON.stringify(shape)}: too large`);
  }
  const value = dataset.value;
  if (!(value instanceof Float32Array || value instanceof Float64Array) || value.length !== values) {
    throw new ModelFileError(file, `the dataset ${path} could not be read whole`);
  }
  return { shape, values: value instanceof Float32Array ? value : Float32Array.from(value) };
}

/** A string attribute (or a list of strings), its size checked before it is read; undefined when absent. */
export function readStrings(node: H5Group, name: string, file: string): string[] | undefined {
  const attribute = node.attrs[name];
  if (!attribute) return undefined;
  const metadata = attribute.metadata;
  const count = (attribute.shape ?? []).reduce((a, b) => a * b, 1);
  if (count === 0) return [];
  if (metadata.type !== H5T_STRING) {
    throw new ModelFileError(file, `the attribute "${name}" of ${node.path} is not text`);
  }
  if (count > MAX_ATTRIBUTE_BYTES || (!metadata.vlen && count * metadata.size > MAX_ATTRIBUTE_BYTES)) {
    throw new ModelFileError(file, `the attribute "${name}" of ${node.path} is too large`);
  }
  const value = attribute.value;
  const strings = Array.isArray(value) ? value : [value];
  if (!strings.every((s) => typeof s === 'string')) {
    throw new ModelFileError(file, `the attribute "${name}" of ${node.path} is not text`);
  }
  if (strings.reduce((sum, s) => sum + s.length, 0) > MAX_ATTRIBUTE_BYTES) {
    throw new ModelFileError(file, `the attribute "${name}" of ${node.path} is too large`);
  }
  return strings as string[];
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err)
    .split('\n')[0]
    .slice(0, 300);
}
