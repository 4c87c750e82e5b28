// PNG decoding (pngjs), with the size limits checked before any pixel is decoded.
import { PNG } from 'pngjs';
import type { RawImage } from './preprocess';
import { errorMessage } from '../../shared/errors';
import { checkByteSize, checkSides, ImageInputError } from './imageInput';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Signature, then the IHDR chunk's length and type, then its width and height. */
const IHDR_TYPE_OFFSET = 12;
const IHDR_SIZE_END = 24;

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

/** Whether `bytes` start with the PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= SIGNATURE.length && SIGNATURE.every((byte, i) => bytes[i] === byte);
}

function checkBeforeDecoding(bytes: Uint8Array, file: string): void {
  if (bytes.length === 0) throw new ImageInputError(file, 'the file is empty');
  checkByteSize(bytes.length, file);
  if (!isPng(bytes)) throw new ImageInputError(file, 'is not a PNG image');
  const { width, height } = readIhdrSize(bytes, file);
  checkSides(width, height, file);
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
