// What every image input shares: its limits and the errors that name the file and what is wrong with it.

/** The limits of an image file (PNG or JPEG), checked before any pixel is decoded. */
export const IMAGE_LIMITS = { maxSide: 4096, maxBytes: 25 * 1024 * 1024 };

const MB = 1024 * 1024;

export class ImageInputError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'ImageInputError';
  }
}

/** An image over IMAGE_LIMITS (bytes or pixels). */
export class ImageTooLargeError extends ImageInputError {}

/** An image that can be read but shows no digit (no ink). */
export class ImageHasNoDigitError extends ImageInputError {}

/** Refuses `bytes` bytes over the limit. */
export function checkByteSize(bytes: number, file: string): void {
  if (bytes > IMAGE_LIMITS.maxBytes) throw new ImageTooLargeError(file, tooLarge(bytes));
}

/** Refuses an image wider or taller than the limit. */
export function checkSides(width: number, height: number, file: string): void {
  if (width > IMAGE_LIMITS.maxSide || height > IMAGE_LIMITS.maxSide) {
    throw new ImageTooLargeError(
      file,
      `is ${width}x${height} pixels; the limit is ${IMAGE_LIMITS.maxSide} pixels on each side`,
    );
  }
}

/** "is 25.1 MB; the limit is 25 MB". */
export function tooLarge(bytes: number): string {
  const size = (Math.ceil((bytes / MB) * 10) / 10).toFixed(1); // rounded up: never "25.0" over a 25 MB limit
  return `is ${size} MB; the limit is ${formatMB(IMAGE_LIMITS.maxBytes)} MB`;
}

/** "25", or "12.5" when not a whole number. */
function formatMB(bytes: number): string {
  const mb = bytes / MB;
  return Number.isInteger(mb) ? String(mb) : mb.toFixed(1);
}
