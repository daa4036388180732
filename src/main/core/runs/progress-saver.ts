import type { RunProgressDto, RunStage } from '../../../shared/domain/runs';
import type { Logger } from '../logger';

/** How often a running run's progress is written to the store: enough for a page opened mid-run. */
const PROGRESS_SAVE_MS = 1000;

/**
 * Keeps a run's latest progress in the store without a write per report (the pipeline sends up
 * to five a second): a new stage is written at once, the rest at most once a second, the last
 * one always. Saving is best effort: a store that cannot be written never fails the run.
 */
export class ProgressSaver {
  #stage: RunStage | null = null;
  #savedAt = 0;
  #pending: RunProgressDto | null = null;
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly save: (p: RunProgressDto) => void,
    private readonly log: Logger,
  ) {}

  offer(report: RunProgressDto): void {
    this.#pending = report;
    const wait = PROGRESS_SAVE_MS - (Date.now() - this.#savedAt);
    if (report.stage !== this.#stage || wait <= 0) return this.#flush();
    this.#timer ??= setTimeout(() => this.#flush(), wait);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#pending = null;
  }

  #flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const report = this.#pending;
    if (!report) return;
    this.#pending = null;
    this.#stage = report.stage;
    this.#savedAt = Date.now();
    try {
      this.save(report);
    } catch (error) {
      this.log.debug('could not record the run progress', { runId: report.runId, error: String(error) });
    }
  }
}
