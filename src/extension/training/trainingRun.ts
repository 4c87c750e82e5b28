// Runs one training in a forked Node process and turns its messages into typed events.
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { parseTrainerEvent, type TrainerEvent, type TrainerRequest } from '../../engine/training/trainerProtocol';

export type StartRequest = Extract<TrainerRequest, { type: 'start' }>;
export type RunOutcome =
  | { status: 'done'; event: Extract<TrainerEvent, { type: 'done' }> }
  | { status: 'cancelled' }
  | { status: 'failed'; message: string };

/** How long a cancelled process gets to stop by itself before it is killed. */
const CANCEL_GRACE_MS = 1000;
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
}

export class TrainingRun extends EventEmitter<{ event: [TrainerEvent] }> {
  readonly finished: Promise<RunOutcome>;
  private readonly child: ChildProcess;
  private outcome: RunOutcome | undefined;
  private stderrTail = '';
  private cancelRequested = false;

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
    this.finished = new Promise((resolve) => {
      this.child.on('message', (message) => {
        const event = parseTrainerEvent(message);
        if (!event) return options.onMalformedMessage?.(message);
        if (event.type === 'done') this.outcome = { status: 'done', event };
        else if (event.type === 'cancelled') this.outcome = { status: 'cancelled' };
        else if (event.type === 'failed') this.outcome = { status: 'failed', message: event.message };
        this.emit('event', event);
      });
      this.child.on('error', (err) => {
        this.outcome ??= { status: 'failed', message: `the training process could not start: ${err.message}` };
      });
      this.child.on('exit', (code, signal) => {
        resolve(
          this.outcome ??
            (this.cancelRequested
              ? { status: 'cancelled' }
              : { status: 'failed', message: this.crashMessage(code, signal) }),
        );
      });
    });
    this.child.send(request);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Asks the process to stop after the current batch; kills it if it has not stopped within a second. */
  cancel(): void {
    if (this.cancelRequested || this.child.exitCode !== null) return;
    this.cancelRequested = true;
    if (this.child.connected) this.child.send({ type: 'cancel' } satisfies TrainerRequest);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), CANCEL_GRACE_MS);
    void this.finished.then(() => clearTimeout(timer));
  }

  private crashMessage(code: number | null, signal: NodeJS.Signals | null): string {
    const outOfMemory = /heap out of memory|Allocation failed/i.test(this.stderrTail);
    const how = outOfMemory
      ? 'ran out of memory'
      : signal
        ? `was killed (${signal})`
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
