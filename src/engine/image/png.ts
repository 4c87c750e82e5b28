// PNG files: reading (what is at the path is checked first) and decoding (pngjs), with size limits checked before any
// pixel is decoded.
import { constants } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { PNG } from 'pngjs';
import { NoDigitError, toMnistImage, type MnistImage, type RawImage } from './preprocess';
import { errorMessage } from '../../shared/errors';

export const PNG_LIMITS = { maxSide: 4096, maxBytes: 25 * 1024 * 1024 };

export class ImageInputError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'ImageInputError';
  }
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Signature, then the IHDR chunk's length and type, then its width and height. */
const IHDR_TYPE_OFFSET = 12;
const IHDR_SIZE_END = 24;
const MB = 1024 * 1024;

/**
 * Reads the PNG file at `path` whole; a folder, a missing file, anything but a plain file, or a file over the size
 * limit is refused (an ImageInputError naming the file) before a byte is read. The file is opened once (without
 * waiting on a named pipe) and read at most to its size plus one byte, so a file that grows is refused, not read on.
 */
export async function readPngFile(path: string): Promise<Uint8Array> {
  const file = basename(path);
  try {
    checkPlainFile(await stat(path), file);
    const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const { size } = checkPlainFile(await handle.stat(), file);
      // One byte more than the file holds, to see it grow.
      const buffer = new Uint8Array(size + 1);
      let length = 0;
      for (let read = -1; read !== 0 && length < buffer.length; length += read) {
        ({ bytesRead: read } = await handle.read(buffer, length, buffer.length - length, length));
      }
      if (length > size) throw new ImageInputError(file, 'changed while it was being read');
      return buffer.subarray(0, length);
    } finally {
      await handle.close();
    }
  } catch (err) {
    if (err instanceof ImageInputError) throw err;
    throw new ImageInputError(file, readProblem(err));
  }
}

function checkPlainFile<S extends { isDirectory(): boolean; isFile(): boolean; size: number }>(
  stats: S,
  file: string,
): S {
  if (stats.isDirectory()) throw new ImageInputError(file, 'is a folder, not a PNG image');
  if (!stats.isFile()) throw new ImageInputError(file, 'is not a plain file');
  if (stats.size > PNG_LIMITS.maxBytes) throw new ImageInputError(file, tooLarge(stats.size));
  return stats;
}

function readProblem(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'ELOOP') return 'is a loop of symbolic links';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read: permission denied';
  return `cannot be read: ${errorMessage(err)}`;
}

/** Decodes any PNG (every colour type, bit depth, palette, tRNS, interlacing) to 8-bit RGBA. */
export function decodePng(bytes: Uint8Array, file: string): RawImage {
  checkBeforeDecoding(bytes, file);
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (err) {
    throw new ImageInputError(file, `is a damaged PNG: ${errorMessage(err)}`);
  }
  const data = new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength);
  if (data.length !== png.width * png.height * 4) {
    throw new ImageInputError(
      file,
      `is a damaged PNG: decoded ${data.length} bytes for ${png.width}x${png.height} pixels`,
    );
  }
  return { data, width: png.width, height: png.height, channels: 4 };
}

/** Decodes a PNG and prepares it as an MNIST-style 28x28 image. */
export function pngToMnistImage(bytes: Uint8Array, file: string): MnistImage {
  const image = decodePng(bytes, file);
  try {
    return toMnistImage(image);
  } catch (err) {
    if (err instanceof NoDigitError) throw new ImageInputError(file, err.message);
    throw err;
  }
}

function checkBeforeDecoding(bytes: Uint8Array, file: string): void {
  if (bytes.length === 0) throw new ImageInputError(file, 'the file is empty');
  if (bytes.length > PNG_LIMITS.maxBytes) throw new ImageInputError(file, tooLarge(bytes.length));
  if (bytes.length < SIGNATURE.length || SIGNATURE.some((byte, i) => bytes[i] !== byte)) {
    throw new ImageInputError(file, 'is not a PNG image');
  }
  const { width, height } = readIhdrSize(bytes, file);
  if (width > PNG_LIMITS.maxSide || height > PNG_LIMITS.maxSide) {
    throw new ImageInputError(
      file,
      `is ${width}x${height} pixels; the limit is ${PNG_LIMITS.maxSide} pixels on each side`,
    );
  }
  if (!endsWithIend(bytes)) throw new ImageInputError(file, 'is a damaged PNG: the file is cut short');
}

/** Whether the chunks, followed by their lengths, run whole up to the closing IEND chunk. */
function endsWithIend(bytes: Uint8Array): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = SIGNATURE.length;
  while (offset + 8 <= bytes.length) {
    const length = view.getUint32(offset, false);
    const isIend =
      bytes[offset + 4] === 0x49 &&
      bytes[offset + 5] === 0x45 &&
      bytes[offset + 6] === 0x4e &&
      bytes[offset + 7] === 0x44;
    offset += 12 + length; // length, type, data, CRC
    if (isIend) return offset <= bytes.length;
  }
  return false;
}

/** Width and height from the IHDR chunk, which must come first. */
function readIhdrSize(bytes: Uint8Array, file: string): { width: number; height: number } {
  const type = String.fromCharCode(...bytes.subarray(IHDR_TYPE_OFFSET, IHDR_TYPE_OFFSET + 4));
  if (bytes.length < IHDR_SIZE_END || type !== 'IHDR') {
    throw new ImageInputError(file, 'is a damaged PNG: the IHDR header chunk is missing');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = view.getUint32(16, false);
  const height = view.getUint32(20, false);
  if (width === 0 || height === 0) {
    throw new ImageInputError(file, `is a damaged PNG: its header says ${width}x${height} pixels`);
  }
  return { width, height };
}

/** "is 25.1 MB; the limit is 25 MB". */
function tooLarge(bytes: number): string {
  const size = (Math.ceil((bytes / MB) * 10) / 10).toFixed(1); // rounded up: never "25.0" over a 25 MB limit
  return `is ${size} MB; the limit is ${formatMB(PNG_LIMITS.maxBytes)} MB`;
}

/** "25", or "12.5" when not a whole number. */
function formatMB(bytes: number): string {
  const mb = bytes / MB;
  return Number.isInteger(mb) ? String(mb) : mb.toFixed(1);
}
