// The e2e suite's bookkeeping: a timestamped log, named checks with PASS/FAIL lines and their own time
// limits, a screenshot of the page for each failure, and the closing "N passed, M failed" line.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { withTimeLimit } from './codeServer';
import { screenshot } from './workbench';

export interface CheckResult {
  name: string;
  ok: boolean;
  ms: number;
  error?: string;
}

const started = Date.now();
const elapsed = () => `+${((Date.now() - started) / 1000).toFixed(1)}s`;

export function log(message: string): void {
  console.log(`[e2e ${elapsed()}] ${message}`);
}

export class Runner {
  readonly results: CheckResult[] = [];
  /** The page to photograph when a check fails (unset while no browser is open). */
  page: Page | undefined;

  constructor(private readonly failuresDir: string) {}

  get failed(): number {
    return this.results.filter((r) => !r.ok).length;
  }

  get passed(): number {
    return this.results.filter((r) => r.ok).length;
  }

  /** Runs one check; a failure (or its time limit) is logged and recorded, never thrown. */
  async check(name: string, fn: () => Promise<string | void>, timeoutMs = 120_000): Promise<boolean> {
    const t0 = Date.now();
    log(`---- ${name}`);
    try {
      const detail = await withTimeLimit(timeoutMs, name, fn);
      const ms = Date.now() - t0;
      this.results.push({ name, ok: true, ms });
      console.log(`PASS  ${name}${detail ? ` — ${detail}` : ''} (${(ms / 1000).toFixed(1)} s)`);
      return true;
    } catch (error) {
      const ms = Date.now() - t0;
      const message = error instanceof Error ? error.message : String(error);
      this.results.push({ name, ok: false, ms, error: message });
      console.log(`FAIL  ${name} (${(ms / 1000).toFixed(1)} s)\n      ${message.split('\n').join('\n      ')}`);
      await this.photograph(name);
      await this.recover();
      return false;
    }
  }

  /** Records an outcome decided elsewhere (e.g. a test reported by the extension host). */
  record(result: CheckResult): void {
    this.results.push(result);
    const line = `${result.ok ? 'PASS' : 'FAIL'}  ${result.name}${result.ms ? ` (${(result.ms / 1000).toFixed(1)} s)` : ''}`;
    console.log(result.ok || !result.error ? line : `${line}\n      ${result.error.split('\n').join('\n      ')}`);
  }

  async photograph(name: string): Promise<void> {
    if (!this.page) return;
    const file = path.join(this.failuresDir, `${String(this.results.length).padStart(2, '0')}-${slug(name)}.png`);
    await withTimeLimit(10_000, 'failure screenshot', () => screenshot(this.page!, file)).then(
      () => console.log(`      screenshot: ${path.relative(process.cwd(), file)}`),
      (error: unknown) => console.log(`      (no screenshot: ${error instanceof Error ? error.message : error})`),
    );
  }

  /** After a failure: close menus, the palette and dialogs so the next check starts from the workbench. */
  private async recover(): Promise<void> {
    if (!this.page) return;
    for (let i = 0; i < 3; i++) await this.page.keyboard.press('Escape').catch(() => {});
  }

  summary(): string {
    return `${this.passed} passed, ${this.failed} failed`;
  }
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
}

/** Polls `probe` until `accept` holds for its value, or fails naming the last value seen. */
export async function until<T>(
  what: string,
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  { timeoutMs = 30_000, intervalMs = 200 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await probe();
      lastError = undefined;
      if (accept(last)) return last;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const seen = lastError
        ? `error ${lastError instanceof Error ? lastError.message : lastError}`
        : JSON.stringify(last);
      throw new Error(`${what}: not within ${timeoutMs / 1000} s (last seen: ${seen})`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}
