// Turns an arbitrary picture of a digit into a 28x28 image prepared the way the
// MNIST digits were: ink bright on a dark background, the ink's bounding box
// scaled (area averaging) so its longer side is 20 px, and the centre of mass
// of the ink placed at the centre of the 28x28 field.
import { IMAGE_SIDE, INK_BOX_SIDE } from '../../shared/mnistImage';

export interface RawImage {
  /** Row-major pixels with interleaved channels. */
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  /** 1 = grey, 2 = grey + alpha, 3 = RGB, 4 = RGBA. */
  channels: 1 | 2 | 3 | 4;
}

export interface MnistImage {
  /** 784 values 0..1, ink = 1, background = 0. */
  pixels: Float32Array;
  /** True when the source was dark ink on a light background. */
  inverted: boolean;
  /** Ink bounding box in source pixels. */
  box: { x: number; y: number; width: number; height: number };
}

export class NoDigitError extends Error {
  constructor(reason: string) {
    super(`no digit found: ${reason}`);
    this.name = 'NoDigitError';
  }
}

/** Where the ink's centre of mass goes (pixel-index coordinates, as MNIST measures it). */
const CENTRE = 14;
/** Ink below this (0..1, after background removal) is noise: ignored for the bounding box. */
const NOISE_LEVEL = 0.1;
/** The darkest-to-lightest difference (0..255) below which there is no digit to see. */
const MIN_CONTRAST = 32;

export function toMnistImage(image: RawImage): MnistImage {
  validate(image);
  const { width, height } = image;
  const grey = toGrey(image);
  const background = borderMedian(grey, width, height);
  const inverted = background >= 128;
  const ink = toInk(grey, inverted, inverted ? 255 - background : background);
  const box = inkBox(ink, width, height);
  const scaled = scaleBox(ink, width, box, INK_BOX_SIDE);
  return { pixels: centreByMass(scaled.pixels, scaled.width, scaled.height), inverted, box };
}

function validate({ data, width, height, channels }: RawImage): void {
  if (!Number.isInteger(width) || width <= 0 || !Number.isInteger(height) || height <= 0) {
    throw new Error(`image size must be positive whole numbers of pixels, got ${width}x${height}`);
  }
  if (![1, 2, 3, 4].includes(channels)) {
    throw new Error(`image channels must be 1, 2, 3 or 4, got ${channels}`);
  }
  const expected = width * height * channels;
  if (data.length !== expected) {
    throw new Error(
      `image data has ${data.length} bytes; ${width}x${height} with ${channels} channel(s) needs ${expected}`,
    );
  }
}

/** Rec. 601 luma of an RGB triple, 0..255. */
function luma(r: number, g: number, b: number): number {
  return 0.299 * r + 0.587 * g + 0.114 * b;
}

/**
 * Grey level (0..255) of every pixel, with alpha composited over a background that
 * contrasts with the visible pixels: transparent pixels always count as background,
 * whether the strokes are drawn in black or in white.
 */
function toGrey({ data, width, height, channels }: RawImage): Uint8Array {
  const count = width * height;
  const grey = new Uint8Array(count);
  if (channels === 1) {
    grey.set(data);
    return grey;
  }
  if (channels === 3) {
    for (let i = 0, j = 0; i < count; i++, j += 3) grey[i] = Math.round(luma(data[j], data[j + 1], data[j + 2]));
    return grey;
  }
  const alphaAt = channels - 1;
  const colourOf = channels === 2 ? (j: number) => data[j] : (j: number) => luma(data[j], data[j + 1], data[j + 2]);
  const backdrop = contrastingBackdrop(data, count, channels, colourOf);
  for (let i = 0, j = 0; i < count; i++, j += channels) {
    const alpha = data[j + alphaAt] / 255;
    grey[i] = Math.round(alpha * colourOf(j) + (1 - alpha) * backdrop);
  }
  return grey;
}

/** White behind dark visible content, black behind light (or when nothing is visible: white). */
function contrastingBackdrop(
  data: RawImage['data'],
  count: number,
  channels: number,
  colourOf: (j: number) => number,
): number {
  let weighted = 0;
  let alphaSum = 0;
  for (let i = 0, j = 0; i < count; i++, j += channels) {
    const alpha = data[j + channels - 1];
    if (alpha === 0) continue;
    weighted += alpha * colourOf(j);
    alphaSum += alpha;
  }
  return alphaSum === 0 || weighted / alphaSum < 128 ? 255 : 0;
}

/** Median grey level of the one-pixel frame around the image: the background colour. */
function borderMedian(grey: Uint8Array, width: number, height: number): number {
  const histogram = new Uint32Array(256);
  let count = 0;
  const add = (i: number) => {
    histogram[grey[i]]++;
    count++;
  };
  for (let x = 0; x < width; x++) {
    add(x);
    if (height > 1) add((height - 1) * width + x);
  }
  for (let y = 1; y < height - 1; y++) {
    add(y * width);
    if (width > 1) add(y * width + width - 1);
  }
  let seen = 0;
  for (let level = 0; level < 256; level++) {
    seen += histogram[level];
    if (seen * 2 >= count) return level;
  }
  return 255;
}

/**
 * Ink strength 0..1 per pixel: the polarity made light-on-dark, the background
 * level subtracted and the darkest-to-strongest ink range stretched to 0..1.
 */
function toInk(grey: Uint8Array, inverted: boolean, background: number): Float32Array {
  let lowest = 255;
  let highest = 0;
  for (let i = 0; i < grey.length; i++) {
    const level = inverted ? 255 - grey[i] : grey[i];
    if (level < lowest) lowest = level;
    if (level > highest) highest = level;
  }
  if (lowest === highest) throw new NoDigitError('the image is blank');
  const contrast = highest - background;
  if (contrast < MIN_CONTRAST) throw new NoDigitError('the marks are too faint to be a digit');
  const ink = new Float32Array(grey.length);
  for (let i = 0; i < grey.length; i++) {
    const level = inverted ? 255 - grey[i] : grey[i];
    ink[i] = level <= background ? 0 : (level - background) / contrast;
  }
  return ink;
}

type Box = MnistImage['box'];

/** Bounding box of the pixels whose ink is above the noise level. */
function inkBox(ink: Float32Array, width: number, height: number): Box {
  let left = width;
  let right = -1;
  let top = height;
  let bottom = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (ink[row + x] <= NOISE_LEVEL) continue;
      if (x < left) left = x;
      if (x > right) right = x;
      if (y < top) top = y;
      bottom = y;
    }
  }
  if (right < 0) throw new NoDigitError('the marks are too faint to be a digit');
  return { x: left, y: top, width: right - left + 1, height: bottom - top + 1 };
}

interface Plane {
  pixels: Float32Array;
  width: number;
  height: number;
}

/** The box cut out of `ink` and resized, aspect kept, so its longer side is `side`. */
function scaleBox(ink: Float32Array, stride: number, box: Box, side: number): Plane {
  const scale = side / Math.max(box.width, box.height);
  const width = Math.max(1, Math.round(box.width * scale));
  const height = Math.max(1, Math.round(box.height * scale));
  // Area averaging is separable: first along rows, then along columns.
  const rows = new Float32Array(box.height * width);
  for (let y = 0; y < box.height; y++) {
    resample1d(ink, (box.y + y) * stride + box.x, 1, box.width, rows, y * width, 1, width);
  }
  const pixels = new Float32Array(width * height);
  for (let x = 0; x < width; x++) resample1d(rows, x, width, box.height, pixels, x, width, height);
  return { pixels, width, height };
}

/**
 * Box-filter resampling of one line of `srcLength` samples into `dstLength`:
 * every output sample is the mean of the source it covers, partially covered
 * source samples counted by their covered fraction. Works both ways (down and up).
 */
function resample1d(
  src: Float32Array,
  srcStart: number,
  srcStep: number,
  srcLength: number,
  dst: Float32Array,
  dstStart: number,
  dstStep: number,
  dstLength: number,
): void {
  const span = srcLength / dstLength;
  for (let d = 0; d < dstLength; d++) {
    const from = d * span;
    const to = from + span;
    let sum = 0;
    for (let s = Math.floor(from); s < to && s < srcLength; s++) {
      const covered = Math.min(to, s + 1) - Math.max(from, s);
      sum += covered * src[srcStart + s * srcStep];
    }
    dst[dstStart + d * dstStep] = sum / span;
  }
}

/** The plane pasted into a 28x28 field so its centre of mass lands on (14, 14). */
function centreByMass(pixels: Float32Array, width: number, height: number): Float32Array {
  let mass = 0;
  let xMoment = 0;
  let yMoment = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const value = pixels[y * width + x];
      mass += value;
      xMoment += x * value;
      yMoment += y * value;
    }
  }
  // mass > 0: the box holds at least one pixel above the noise level.
  const left = clamp(Math.round(CENTRE - xMoment / mass), 0, IMAGE_SIDE - width);
  const top = clamp(Math.round(CENTRE - yMoment / mass), 0, IMAGE_SIDE - height);
  const field = new Float32Array(IMAGE_SIDE * IMAGE_SIDE);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      field[(top + y) * IMAGE_SIDE + left + x] = Math.min(1, pixels[y * width + x]);
    }
  }
  return field;
}

function clamp(value: number, low: number, high: number): number {
  return value < low ? low : value > high ? high : value;
}

/** 784 model-input values (0..1) → base64 of 784 bytes (0..255): the image the model saw, for a page to show. */
export function pixelsToBase64(pixels: Float32Array): string {
  return Buffer.from(Uint8Array.from(pixels, (p) => Math.round(Math.min(1, Math.max(0, p)) * 255))).toString('base64');
}
