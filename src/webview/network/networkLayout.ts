// The network panel's pure parts: feature maps out of a layer's bytes, diverging filter colours, heat overlays and a
// fingerprint of what a layer shows. No DOM (unit-tested).
import type { LayerActivationView } from '../../shared/networkProtocol';

export type Rgb = [number, number, number];

/** How a layer's output is drawn: h x w maps (one per channel), or one row of values. */
export type LayerShape =
  { kind: 'maps'; height: number; width: number; count: number } | { kind: 'vector'; length: number };

export function layerShape(shape: number[]): LayerShape {
  if (shape.length === 3) return { kind: 'maps', height: shape[0], width: shape[1], count: shape[2] };
  return { kind: 'vector', length: shape.reduce((a, b) => a * b, 1) };
}

/** Map `index` of a layer drawn as maps: its h*w bytes. */
export function mapBytes(bytes: Uint8Array, shape: { height: number; width: number }, index: number): Uint8Array {
  const area = shape.height * shape.width;
  return bytes.subarray(index * area, (index + 1) * area);
}

/** Grey levels → RGBA for ImageData (0 black, 255 white). */
export function greyRgba(levels: Uint8Array): Uint8ClampedArray<ArrayBuffer> {
  const rgba = new Uint8ClampedArray(levels.length * 4);
  for (let i = 0; i < levels.length; i++) {
    rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = levels[i];
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
}

/** The input dimmed to grey with the saliency laid over it in `heat` (both 784 bytes). */
export function saliencyRgba(input: Uint8Array, saliency: Uint8Array, heat: Rgb): Uint8ClampedArray<ArrayBuffer> {
  const rgba = new Uint8ClampedArray(input.length * 4);
  for (let i = 0; i < input.length; i++) {
    const weight = saliency[i] / 255;
    const grey = input[i] * 0.35;
    for (let c = 0; c < 3; c++) rgba[i * 4 + c] = Math.round(grey * (1 - weight) + heat[c] * weight);
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
}

/** A weight in [-largest, largest] as a colour between `negative`, `zero` and `positive`. */
export function divergingColour(
  weight: number,
  largest: number,
  colours: { negative: Rgb; zero: Rgb; positive: Rgb },
): Rgb {
  const t = largest > 0 ? Math.max(-1, Math.min(1, weight / largest)) : 0;
  const end = t < 0 ? colours.negative : colours.positive;
  const share = Math.abs(t);
  return colours.zero.map((z, c) => Math.round(z + (end[c] - z) * share)) as Rgb;
}

/** "#rrggbb" or "#rgb" (what VS Code's theme variables hold) → RGB; `fallback` for anything else. */
export function parseHexColour(text: string, fallback: Rgb): Rgb {
  const hex = text.trim().replace(/^#/, '');
  const full = hex.length === 3 || hex.length === 4 ? [...hex.slice(0, 3)].map((c) => c + c).join('') : hex.slice(0, 6);
  if (!/^[0-9a-f]{6}$/i.test(full)) return fallback;
  return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as Rgb;
}

/** "26×26×32". */
export function shapeText(shape: number[]): string {
  return shape.join('×');
}

/** "max 0.76 · mean 0.014 · 85% zeros". */
export function statsText(layer: Pick<LayerActivationView, 'min' | 'max' | 'mean' | 'zeros'>): string {
  const number = (value: number) => String(Number(value.toPrecision(2)));
  const parts = [`max ${number(layer.max)}`, `mean ${number(layer.mean)}`];
  if (layer.min < 0) parts.unshift(`min ${number(layer.min)}`);
  parts.push(`${Math.round(layer.zeros * 100)}% zeros`);
  return parts.join(' · ');
}

/** A short fingerprint of the bytes a layer shows (FNV-1a), so that a change is visible to tests and tools. */
export function fingerprint(bytes: Uint8Array): string {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}
