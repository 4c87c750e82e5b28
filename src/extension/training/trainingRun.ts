// Runs one training in a forked Node process and turns its messages into typed events.
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { parseTrainerEvent, type TrainerEvent, type TrainerRequest } from '../../engine/training/trainerProtocol';

export type StartRequest = Extract<TrainerRequest, { type: 'start' }>;
export type RunOutcome =
  | { status: 'done'; event: Extract<TrainerEvent, { type: 'done' }> }
  | { status: 'cancelled' }
  | { status: 'failed'; message: string };

/** How long a cancelled process, or one that sent its final event or closed its channel, gets to exit before it is killed. */
const CANCEL_GRACE_MS = 1000;
/** How long the process may take to answer the start request (its first event: the backend it started). */
const START_TIMEOUT_MS = 60_000;
const STDERR_TAIL_BYTES = 4000;
/** What native TensorFlow's C library writes to stderr as it loads, which says nothing about a failure. */
const NATIVE_LOAD_NOISE =
  /^I\d{4} \d\d:\d\d:\d\d|^WARNING: All log messages before absl|^To enable the following instructions/;

export interface TrainingRunOptions {
  /** The built trainer entry point (dist/trainer.js). */
  trainerScript: string;
  /** Heap limit of the training process, in MB. */
  maxHeapMb?: number;
  onMalformedMessage?: (message: unknown) => void;
  /** How long to wait for the process's first event before the run fails (default: a minute). */
  startTimeoutMs?: number;
}

export class TrainingRun extends EventEmitter<{ event: [TrainerEvent] }> {
  readonly finished: Promise<RunOutcome>;
  private readonly child: ChildProcess;
  private outcome: RunOutcome | undefined;
  private stderrTail = '';
  private cancelRequested = false;
  private killTimer: NodeJS.Timeout | undefined;

  constructor(request: StartRequest, options: TrainingRunOptions) {
    super();
    this.child = fork(options.trainerScript, [], {
      execArgv: [`--max-old-space-size=${options.maxHeapMb ?? 4096}`],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-STDERR_TAIL_BYTES);
    });
    const startTimeoutMs = options.startTimeoutMs ?? START_TIMEOUT_MS;
    const silence = setTimeout(() => {
      this.failAndKill(`the training process did not answer within ${Math.round(startTimeoutMs / 1000)} s of starting`);
    }, startTimeoutMs);
    this.finished = new Promise((resolve) => {
      this.child.on('message', (message) => {
        clearTimeout(silence);
        const event = parseTrainerEvent(message);
        if (!event) return options.onMalformedMessage?.(message);
        if (event.type === 'done') this.outcome = { status: 'done', event };
        else if (event.type === 'cancelled') this.outcome = { status: 'cancelled' };
        else if (event.type === 'failed') this.outcome = { status: 'failed', message: event.message };
        if (this.outcome) this.killLater();
        this.emit('event', event);
      });
      this.child.on('error', (err) => {
        this.outcome ??= { status: 'failed', message: `the training process could not start: ${err.message}` };
        this.killLater();
      });
      // A process that closed its channel can send nothing more: it gets a moment to exit, then it is killed.
      this.child.on('disconnect', () => this.killLater());
      this.child.on('exit', (code, signal) => {
        clearTimeout(silence);
        resolve(
          this.outcome ??
            (this.cancelRequested
              ? { status: 'cancelled' }
              : { status: 'failed', message: this.crashMessage(code, signal) }),
        );
      });
    });
    this.child.send(request, (err) => {
      if (err) this.failAndKill(`the training process could not be sent the start request: ${err.message}`);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Asks the process to stop after the current batch; kills it if it has not stopped within a second. */
  cancel(): void {
    if (this.cancelRequested || this.child.exitCode !== null) return;
    this.cancelRequested = true;
    if (this.child.connected) this.child.send({ type: 'cancel' } satisfies TrainerRequest);
    this.killLater();
  }

  /** Ends the run with `message` (unless it already has an outcome) and kills the process. */
  private failAndKill(message: string): void {
    this.outcome ??= { status: 'failed', message };
    this.child.kill('SIGKILL');
  }

  /** Kills the process unless it exits by itself within the grace period. */
  private killLater(): void {
    if (this.killTimer || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.killTimer = setTimeout(() => this.child.kill('SIGKILL'), CANCEL_GRACE_MS);
    void this.finished.then(() => clearTimeout(this.killTimer));
  }

  private crashMessage(code: number | null, signal: NodeJS.Signals | null): string {
    const outOfMemory = /heap out of memory|Allocation failed/i.test(this.stderrTail);
    const how = outOfMemory
      ? 'ran out of memory'
      : signal
        ? `was killed (${signal})`
        : code === 0
          ? 'ended without reporting a result'
          : `exited unexpectedly (code ${code})`;
    const detail = this.stderrTail
      .trim()
      .split('\n')
      .filter((line) => !NATIVE_LOAD_NOISE.test(line))
      .slice(-3)
      .join(' ')
      .trim();
    return `the training process ${how}${detail ? `: ${detail}` : ''}`;
  }
}
