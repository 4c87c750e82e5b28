// The extension-host suites' JSON report: written by the suite (suite/index.ts), or by the runner extension when the
// suites cannot load; read by the e2e suite (test/e2e/steps/extensionHost.ts). Its file is MNIST_TEST_REPORT.
import { renameSync, writeFileSync } from 'node:fs';

export interface Report {
  passed: number;
  failed: number;
  tests: { title: string; state: 'passed' | 'failed'; error?: string; ms?: number }[];
}

export const reportFile = (): string | undefined => process.env.MNIST_TEST_REPORT;

/** Writes the report whole (a reader polling for the file never sees half of it); nothing when no file is named. */
export function writeReport(report: Report): void {
  const file = reportFile();
  if (!file) return;
  writeFileSync(`${file}.tmp`, JSON.stringify(report, null, 2));
  renameSync(`${file}.tmp`, file);
}

/** A report of one failed test, for suites that did not run at all. */
export function failureReport(title: string, error: unknown): Report {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return { passed: 0, failed: 1, tests: [{ title, state: 'failed', error: message }] };
}
