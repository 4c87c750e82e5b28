// The sketchpad's drawing as data: strokes in logical canvas pixels (0..SKETCH_SIDE), how to trace them on
// a 2D context, the saved panel state, and canvas pixels → the one-channel ink sent to the host.
// No DOM access here, so it runs in unit tests.
import { SKETCH_SIDE } from '../../shared/limits';
import { isArrayOf, isIntegerIn, isNumberIn, isRecord } from '../common/typeGuards';

export interface Point {
  x: number;
  y: number;
}

export interface Stroke {
  /** Brush diameter in logical pixels. */
  size: number;
  points: Point[];
}

export const MIN_BRUSH = 6;
export const MAX_BRUSH = 40;
export const DEFAULT_BRUSH = 18;
/** Points closer than this to the previous one add nothing visible. */
const MIN_POINT_DISTANCE = 0.75;
const MAX_STROKES = 400;
const MAX_POINTS = 4000;

/** The part of CanvasRenderingContext2D that tracing a stroke uses. */
export interface PathSink {
  lineWidth: number;
  lineCap: CanvasLineCap;
  lineJoin: CanvasLineJoin;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  quadraticCurveTo(cx: number, cy: number, x: number, y: number): void;
  arc(x: number, y: number, radius: number, start: number, end: number): void;
  fill(): void;
  stroke(): void;
}

/**
 * Traces a stroke as a smooth curve: straight segments between the midpoints of consecutive points, bent
 * through the points themselves (quadratic Béziers), with round caps and joins. A single point is a dot.
 */
export function traceStroke(ctx: PathSink, stroke: Stroke): void {
  const { points, size } = stroke;
  if (points.length === 0) return;
  ctx.beginPath();
  if (points.length === 1) {
    ctx.arc(points[0].x, points[0].y, size / 2, 0, Math.PI * 2);
    ctx.fill();
    return;
  }
  ctx.lineWidth = size;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.moveTo(points[0].x, points[0].y);
  for (let i = 1; i < points.length - 1; i++) {
    const mid = { x: (points[i].x + points[i + 1].x) / 2, y: (points[i].y + points[i + 1].y) / 2 };
    ctx.quadraticCurveTo(points[i].x, points[i].y, mid.x, mid.y);
  }
  const last = points[points.length - 1];
  ctx.lineTo(last.x, last.y);
  ctx.stroke();
}

/** Adds a point (clamped to the canvas, rounded to 0.1 px); false when it is too close to the previous one. */
export function addPoint(stroke: Stroke, point: Point, side = SKETCH_SIDE): boolean {
  const p = { x: round1(clamp(point.x, 0, side)), y: round1(clamp(point.y, 0, side)) };
  const previous = stroke.points[stroke.points.length - 1];
  if (previous && Math.hypot(p.x - previous.x, p.y - previous.y) < MIN_POINT_DISTANCE) return false;
  if (stroke.points.length >= MAX_POINTS) return false;
  stroke.points.push(p);
  return true;
}

/** Client (CSS pixel) coordinates → logical canvas coordinates, for a canvas shown `rect` big. */
export function toLogical(
  clientX: number,
  clientY: number,
  rect: { left: number; top: number; width: number; height: number },
  side = SKETCH_SIDE,
): Point {
  return { x: ((clientX - rect.left) / rect.width) * side, y: ((clientY - rect.top) / rect.height) * side };
}

/**
 * The ink as one channel per pixel (0 = background, 255 = ink): the alpha of RGBA pixels from a canvas
 * the strokes were drawn on over a transparent background, whatever their colour.
 */
export function inkFromRgba(rgba: ArrayLike<number>, width: number, height: number): Uint8Array {
  const count = width * height;
  if (rgba.length !== count * 4)
    throw new Error(`expected ${count * 4} RGBA bytes for ${width}x${height}, got ${rgba.length}`);
  const ink = new Uint8Array(count);
  for (let i = 0; i < count; i++) ink[i] = rgba[i * 4 + 3];
  return ink;
}

export function hasInk(ink: Uint8Array): boolean {
  return ink.some((value) => value > 0);
}

// ---- Saved state (vscode.getState/setState): survives hiding the panel and reloading the window ----

export interface SketchState {
  strokes: Stroke[];
  brushSize: number;
  live: boolean;
}

export function initialSketchState(): SketchState {
  return { strokes: [], brushSize: DEFAULT_BRUSH, live: true };
}

/** A saved state this version can use: anything else (malformed, or from another version) is not restored. */
export function isSketchState(value: unknown): value is SketchState {
  return (
    isRecord(value) &&
    isArrayOf(value.strokes, isStroke, MAX_STROKES) &&
    isIntegerIn(value.brushSize, MIN_BRUSH, MAX_BRUSH) &&
    typeof value.live === 'boolean'
  );
}

function isStroke(value: unknown): value is Stroke {
  return (
    isRecord(value) && isNumberIn(value.size, MIN_BRUSH, MAX_BRUSH) && isArrayOf(value.points, isPoint, MAX_POINTS)
  );
}

function isPoint(value: unknown): value is Point {
  return isRecord(value) && isNumberIn(value.x, 0, SKETCH_SIDE) && isNumberIn(value.y, 0, SKETCH_SIDE);
}

/** Whether the user can start another stroke (the list is capped so the saved state stays small). */
export function canAddStroke(state: SketchState): boolean {
  return state.strokes.length < MAX_STROKES;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
