// Small random affine distortions of 28x28 digits (shift, rotation, scale).
import { IMAGE_SIDE, IMAGE_SIZE } from '../../shared/mnistImage';

export const AUGMENTATION = { maxShift: 2, maxRotationDegrees: 10, maxScaleChange: 0.1 };

/** Resamples each image in `pixels[0 .. count*784)` in place, bilinearly, around the image centre. */
export function augmentBatch(pixels: Float32Array, count: number, random: () => number): void {
  const source = new Float32Array(IMAGE_SIZE);
  const centre = (IMAGE_SIDE - 1) / 2;
  const between = (limit: number) => (random() * 2 - 1) * limit;
  for (let n = 0; n < count; n++) {
    const image = pixels.subarray(n * IMAGE_SIZE, (n + 1) * IMAGE_SIZE);
    source.set(image);
    const angle = (between(AUGMENTATION.maxRotationDegrees) * Math.PI) / 180;
    const scale = 1 + between(AUGMENTATION.maxScaleChange);
    const dx = between(AUGMENTATION.maxShift);
    const dy = between(AUGMENTATION.maxShift);
    // Inverse map: for each output pixel, where it comes from in the source.
    const cos = Math.cos(angle) / scale;
    const sin = Math.sin(angle) / scale;
    for (let y = 0; y < IMAGE_SIDE; y++) {
      for (let x = 0; x < IMAGE_SIDE; x++) {
        const u = x - centre - dx;
        const v = y - centre - dy;
        image[y * IMAGE_SIDE + x] = sample(source, cos * u + sin * v + centre, -sin * u + cos * v + centre);
      }
    }
  }
}

function sample(image: Float32Array, x: number, y: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const at = (px: number, py: number) =>
    px < 0 || py < 0 || px >= IMAGE_SIDE || py >= IMAGE_SIDE ? 0 : image[py * IMAGE_SIDE + px];
  return (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy) + (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy;
}
