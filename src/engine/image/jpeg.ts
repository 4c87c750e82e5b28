// JPEG decoding (jpeg-js, baseline and progressive), with the size limits checked first and the EXIF orientation applied,
// so a phone photo taken sideways is read upright.
import { decode } from 'jpeg-js';
import exifReader from 'exif-reader';
import { errorMessage } from '../../shared/errors';
import { checkByteSize, checkSides, IMAGE_LIMITS, ImageInputError, ImageTooLargeError } from './imageInput';
import type { RawImage } from './preprocess';

/** Start of image, then the first marker's 0xFF. */
const SOI = [0xff, 0xd8, 0xff];
/** jpeg-js counts megapixels of 10^6 pixels. */
const MEGAPIXEL = 1_000_000;
/** Decoding memory jpeg-js may take: the largest image's RGBA and its component planes, with room to spare. */
const MAX_DECODE_MB = 512;

export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= SOI.length && SOI.every((byte, i) => bytes[i] === byte);
}

/** Decodes a JPEG to 8-bit RGBA, upright as its EXIF orientation (1–8) says. */
export function decodeJpeg(bytes: Uint8Array, file: string): RawImage {
  checkByteSize(bytes.length, file);
  if (!isJpeg(bytes)) throw new ImageInputError(file, 'is not a JPEG image');
  // jpeg-js also returns the Exif block (its types leave it out).
  let jpeg: { width: number; height: number; data: Uint8Array; exifBuffer?: Uint8Array };
  try {
    jpeg = decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      tolerantDecoding: false,
      maxResolutionInMP: (IMAGE_LIMITS.maxSide * IMAGE_LIMITS.maxSide) / MEGAPIXEL,
      maxMemoryUsageInMB: MAX_DECODE_MB,
    });
  } catch (err) {
    const message = errorMessage(err);
    if (/maxResolutionInMP|maxMemoryUsageInMB/.test(message)) {
      throw new ImageTooLargeError(
        file,
        `is larger than ${IMAGE_LIMITS.maxSide}x${IMAGE_LIMITS.maxSide} pixels, the limit (${message})`,
      );
    }
    throw new ImageInputError(file, `is a damaged JPEG: ${message}`);
  }
  checkSides(jpeg.width, jpeg.height, file);
  const data = new Uint8Array(jpeg.data.buffer, jpeg.data.byteOffset, jpeg.data.byteLength);
  if (data.length !== jpeg.width * jpeg.height * 4) {
    throw new ImageInputError(
      file,
      `is a damaged JPEG: decoded ${data.length} bytes for ${jpeg.width}x${jpeg.height} pixels`,
    );
  }
  const image: RawImage = { data, width: jpeg.width, height: jpeg.height, channels: 4 };
  return orient(image, exifOrientation(jpeg.exifBuffer));
}

/** The EXIF Orientation tag (1–8), 1 when there is none or the EXIF block cannot be read (the pixels still can). */
export function exifOrientation(exif: Uint8Array | undefined): number {
  if (!exif) return 1;
  try {
    // exif-reader takes the block with or without its "Exif\0\0" header; jpeg-js leaves one NUL of it.
    const start = exif[0] === 0 ? 1 : 0;
    const orientation = exifReader(Buffer.from(exif.buffer, exif.byteOffset + start, exif.byteLength - start)).Image
      ?.Orientation;
    return typeof orientation === 'number' && orientation >= 1 && orientation <= 8 ? orientation : 1;
  } catch {
    return 1;
  }
}

/** The pixels turned upright: for each EXIF orientation, where an upright pixel (x, y) is in the stored image. */
export function orient(image: RawImage, orientation: number): RawImage {
  if (orientation === 1) return image;
  const { width: w, height: h, channels, data } = image;
  const swapped = orientation >= 5;
  const width = swapped ? h : w;
  const height = swapped ? w : h;
  type Position = (x: number, y: number) => [number, number];
  const sources: Position[] = [
    (x, y) => [x, y],
    (x, y) => [x, y],
    (x, y) => [w - 1 - x, y], // 2: mirrored left-right
    (x, y) => [w - 1 - x, h - 1 - y], // 3: turned 180°
    (x, y) => [x, h - 1 - y], // 4: mirrored top-bottom
    (x, y) => [y, x], // 5: transposed
    (x, y) => [y, h - 1 - x], // 6: to be turned 90° clockwise
    (x, y) => [w - 1 - y, h - 1 - x], // 7: transverse
    (x, y) => [w - 1 - y, x], // 8: to be turned 90° counter-clockwise
  ];
  const source = sources[orientation];
  const out = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [sx, sy] = source(x, y);
      const from = (sy * w + sx) * channels;
      out.set(data.subarray(from, from + channels), (y * width + x) * channels);
    }
  }
  return { data: out, width, height, channels };
}
