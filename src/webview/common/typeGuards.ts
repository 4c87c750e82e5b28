// Small type guards for what a webview reads back from its saved state (webviews have no validation library).

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isNumberIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && value >= min && value <= max;
}

export function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return Number.isInteger(value) && isNumberIn(value, min, max);
}

/** An array of at most `maxLength` items that all pass `isItem`. */
export function isArrayOf<T>(value: unknown, isItem: (item: unknown) => item is T, maxLength: number): value is T[] {
  return Array.isArray(value) && value.length <= maxLength && value.every((item) => isItem(item));
}

export function isOptional<T>(value: unknown, isValue: (value: unknown) => value is T): value is T | undefined {
  return value === undefined || isValue(value);
}

export function isString(value: unknown): value is string {
  return typeof value === 'string';
}
