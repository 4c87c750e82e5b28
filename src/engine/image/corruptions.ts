// Corruptions of a 28x28 digit in the spirit of MNIST-C (Mu & Gilmer, 2019): what real handwriting, pens and scans
// do that MNIST's own digits do not. Each works on a padded canvas (so no transform cuts the ink off) and returns a
// grey picture for the same preprocessing a PNG gets. Seeded, pure, no TensorFlow.
import { IMAGE_SIDE } from '../../shared/mnistImage';

/** Grey levels, row by row: 0 = background, 255 = ink (unless a corruption inverts them). */
export interface GreyImage {
  pixels: Uint8Array;
  side: number;
}

/** Space around the 28x28 digit, so that rotating, shearing or shifting it keeps all its ink. */
const PADDING = 8;

export const CORRUPTIONS = [
  'translate',
  'scale',
  'rotate',
  'shear',
  'thicken',
  'thin',
  'motionBlur',
  'gaussianBlur',
  'gaussianNoise',
  'impulseNoise',
  'lowResolution',
  'darkOnLight',
] as const;
export type CorruptionName = (typeof CORRUPTIONS)[number];

/** How each corruption reads in a report. */
export const CORRUPTION_LABELS: Record<CorruptionName, string> = {
  translate: 'Shifted up to 6 px',
  scale: 'Scaled 0.5–1.5x',
  rotate: 'Rotated up to 30°',
  shear: 'Sheared up to 0.5',
  thicken: 'Thicker pen',
  thin: 'Thinner pen',
  motionBlur: 'Motion blur',
  gaussianBlur: 'Blurred',
  gaussianNoise: 'Gaussian noise',
  impulseNoise: 'Salt-and-pepper noise',
  lowResolution: 'Low resolution (8x8)',
  darkOnLight: 'Dark ink on light paper',
};

/** The 28x28 digit centred on a (28 + 2 * PADDING)-pixel square. */
export function padded(digit: Uint8Array): GreyImage {
  const side = IMAGE_SIDE + 2 * PADDING;
  const pixels = new Uint8Array(side * side);
  for (let y = 0; y < IMAGE_SIDE; y++)
    pixels.set(digit.subarray(y * IMAGE_SIDE, (y + 1) * IMAGE_SIDE), (y + PADDING) * side + PADDING);
  return { pixels, side };
}

/** Bilinear sample at (x, y); 0 outside. */
function sample({ pixels, side }: GreyImage, x: number, y: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const at = (px: number, py: number) => (px >= 0 && py >= 0 && px < side && py < side ? pixels[py * side + px] : 0);
  const fx = x - x0;
  const fy = y - y0;
  const top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx;
  const bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx;
  return top * (1 - fy) + bottom * fy;
}

/** Every output pixel taken from where `source(x, y)` says in the input (coordinates about the centre). */
export function warp(image: GreyImage, source: (x: number, y: number) => [number, number]): GreyImage {
  const { side } = image;
  const centre = (side - 1) / 2;
  const out = new Uint8Array(side * side);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      const [sx, sy] = source(x - centre, y - centre);
      out[y * side + x] = Math.round(sample(image, sx + centre, sy + centre));
    }
  return { pixels: out, side };
}

export const translate = (image: GreyImage, dx: number, dy: number) => warp(image, (x, y) => [x - dx, y - dy]);
export const scale = (image: GreyImage, factor: number) => warp(image, (x, y) => [x / factor, y / factor]);
export const shear = (image: GreyImage, amount: number) => warp(image, (x, y) => [x - amount * y, y]);

/** Rotation by `degrees`, clockwise on screen (y grows downwards). */
export function rotate(image: GreyImage, degrees: number): GreyImage {
  const angle = (degrees * Math.PI) / 180;
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  return warp(image, (x, y) => [cos * x + sin * y, -sin * x + cos * y]);
}

/** Grey morphology with the 3x3 cross: the largest (dilate) or smallest (erode) level of each pixel and its 4 neighbours. */
export function morphology(image: GreyImage, kind: 'dilate' | 'erode'): GreyImage {
  const { pixels, side } = image;
  const out = new Uint8Array(pixels.length);
  const pick = kind === 'dilate' ? Math.max : Math.min;
  const at = (x: number, y: number) => (x >= 0 && y >= 0 && x < side && y < side ? pixels[y * side + x] : 0);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++)
      out[y * side + x] = pick(at(x, y), at(x - 1, y), at(x + 1, y), at(x, y - 1), at(x, y + 1));
  return { pixels: out, side };
}

/** The mean of `length` samples along a line through each pixel at `degrees`. */
export function motionBlur(image: GreyImage, length: number, degrees: number): GreyImage {
  const angle = (degrees * Math.PI) / 180;
  const offsets = Array.from({ length }, (_, i) => i - (length - 1) / 2);
  return warpMean(
    image,
    offsets.map((t) => [t * Math.cos(angle), t * Math.sin(angle)]),
  );
}

/** Separable Gaussian blur of standard deviation `sigma` pixels. */
export function gaussianBlur(image: GreyImage, sigma: number): GreyImage {
  const radius = Math.ceil(3 * sigma);
  const weights = Array.from({ length: 2 * radius + 1 }, (_, i) =>
    Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)),
  );
  const total = weights.reduce((a, b) => a + b, 0);
  const pass = ({ pixels, side }: GreyImage, horizontal: boolean): GreyImage => {
    const out = new Uint8Array(pixels.length);
    for (let y = 0; y < side; y++)
      for (let x = 0; x < side; x++) {
        let sum = 0;
        for (let k = -radius; k <= radius; k++) {
          const [px, py] = horizontal ? [x + k, y] : [x, y + k];
          if (px >= 0 && py >= 0 && px < side && py < side) sum += pixels[py * side + px] * weights[k + radius];
        }
        out[y * side + x] = Math.round(sum / total);
      }
    return { pixels: out, side };
  };
  return pass(pass(image, true), false);
}

function warpMean(image: GreyImage, offsets: [number, number][]): GreyImage {
  const { side } = image;
  const out = new Uint8Array(side * side);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      let sum = 0;
      for (const [dx, dy] of offsets) sum += sample(image, x + dx, y + dy);
      out[y * side + x] = Math.round(sum / offsets.length);
    }
  return { pixels: out, side };
}

/** Adds N(0, sigma) to every level (clamped to 0..255). */
export function gaussianNoise(image: GreyImage, sigma: number, random: () => number): GreyImage {
  const pixels = Uint8Array.from(image.pixels, (level) => {
    const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.max(0, Math.min(255, Math.round(level + sigma * normal)));
  });
  return { pixels, side: image.side };
}

/** Sets a share `amount` of the pixels to black or white (half each). */
export function impulseNoise(image: GreyImage, amount: number, random: () => number): GreyImage {
  const pixels = Uint8Array.from(image.pixels, (level) => (random() < amount ? (random() < 0.5 ? 0 : 255) : level));
  return { pixels, side: image.side };
}

/** Down to `size` x `size` (area average), then back up (bilinear): the blocky digits of a tiny scan. */
export function lowResolution(image: GreyImage, size: number): GreyImage {
  const { pixels, side } = image;
  const cell = side / size;
  const small = new Float32Array(size * size);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) small[Math.floor(y / cell) * size + Math.floor(x / cell)] += pixels[y * side + x];
  const perCell = (side * side) / (size * size);
  const smallImage: GreyImage = { pixels: Uint8Array.from(small, (sum) => Math.round(sum / perCell)), side: size };
  const within = (coordinate: number) => Math.max(0, Math.min(size - 1, coordinate)); // edges repeat, not fade
  const out = new Uint8Array(side * side);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++)
      out[y * side + x] = Math.round(
        sample(smallImage, within((x + 0.5) / cell - 0.5), within((y + 0.5) / cell - 0.5)),
      );
  return { pixels: out, side };
}

export const invert = (image: GreyImage): GreyImage => ({
  pixels: Uint8Array.from(image.pixels, (level) => 255 - level),
  side: image.side,
});

/** Between -1 and 1. */
const signed = (random: () => number) => 2 * random() - 1;

/** `name` applied to a 28x28 digit, with parameters drawn from `random` (one severity per corruption), padded. */
export function corrupt(name: CorruptionName, digit: Uint8Array, random: () => number): GreyImage {
  const image = padded(digit);
  switch (name) {
    case 'translate':
      return translate(image, Math.round(6 * signed(random)), Math.round(6 * signed(random)));
    case 'scale':
      return scale(image, 1 + 0.5 * signed(random));
    case 'rotate':
      return rotate(image, 30 * signed(random));
    case 'shear':
      return shear(image, 0.5 * signed(random));
    case 'thicken':
      return morphology(image, 'dilate');
    case 'thin':
      return morphology(image, 'erode');
    case 'motionBlur':
      return motionBlur(image, 7, 180 * random());
    case 'gaussianBlur':
      return gaussianBlur(image, 1.5);
    case 'gaussianNoise':
      return gaussianNoise(image, 60, random);
    case 'impulseNoise':
      return impulseNoise(image, 0.08, random);
    case 'lowResolution':
      return padded(lowResolution({ pixels: digit, side: IMAGE_SIDE }, 8).pixels);
    case 'darkOnLight':
      return invert(image);
  }
}
