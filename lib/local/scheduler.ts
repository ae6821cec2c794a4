/**
 * The local stand-in for EventBridge Scheduler (DESIGN.md decision 13): the same job handlers on the
 * same cron, in Asia/Shanghai, on the runtime's clock. When the clock passes an occurrence — by time
 * passing or by `POST /api/dev/clock` — the job runs with that occurrence's time, as EventBridge
 * Scheduler passes `<aws.scheduler.scheduled-time>`; a jump over several occurrences runs the latest.
 * What has run is kept in the data folder, so a restart neither repeats nor skips an occurrence.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Clock } from '../app.ts';
import { addDays, isoDayOfWeek, shanghaiDate } from '../domain/time.ts';
import type { JobInput } from '../jobs/job-input.ts';
import { logger } from '../observability/logger.ts';

export interface LocalJob {
  cron: { minute: string; hour: string; weekDay: string };
  run: (input: JobInput) => Promise<unknown>;
}

const WEEK_DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

/** The latest occurrence of a daily/weekly cron at or before `now` (Asia/Shanghai), within a week. */
export function latestOccurrence(cron: LocalJob['cron'], now: Date): Date {
  const time = `${cron.hour.padStart(2, '0')}:${cron.minute.padStart(2, '0')}:00+08:00`;
  for (let back = 0; back <= 7; back++) {
    const day = addDays(shanghaiDate(now), -back);
    const matches = cron.weekDay === '*' || WEEK_DAYS[isoDayOfWeek(day) - 1] === cron.weekDay;
    const at = new Date(`${day}T${time}`);
    if (matches && at.getTime() <= now.getTime()) return at;
  }
  throw new Error(`cron ${JSON.stringify(cron)} has no occurrence in a week`);
}

export class LocalScheduler {
  private lastChecked: number;
  private readonly ticker: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly jobs: Record<string, LocalJob>,
    private readonly clock: Clock & { onChange?(listener: () => void): () => void },
    private readonly stateFile: string,
  ) {
    const saved = existsSync(stateFile)
      ? (JSON.parse(readFileSync(stateFile, 'utf8')) as { lastChecked?: number }).lastChecked
      : undefined;
    this.lastChecked = saved ?? clock.now().getTime();
    this.ticker = setInterval(() => this.check(), 5_000);
    this.ticker.unref();
    this.unsubscribe = clock.onChange?.(() => this.check()) ?? (() => undefined);
  }

  /** Resolves when the jobs that came due have run. */
  check(): Promise<void> {
    this.running = this.running.then(() => this.runDue());
    return this.running;
  }

  stop(): void {
    clearInterval(this.ticker);
    this.unsubscribe();
  }

  private async runDue(): Promise<void> {
    const now = this.clock.now();
    const since = this.lastChecked;
    this.lastChecked = now.getTime();
    writeFileSync(this.stateFile, JSON.stringify({ lastChecked: this.lastChecked }));
    if (now.getTime() <= since) return; // the clock went back: nothing came due
    for (const [name, job] of Object.entries(this.jobs)) {
      const occurrence = latestOccurrence(job.cron, now);
      if (occurrence.getTime() <= since) continue;
      try {
        const result = await job.run({ scheduledTime: occurrence.toISOString() });
        logger.info('local scheduled job ran', { job: name, result: result as Record<string, unknown> });
      } catch (error) {
        logger.error('local scheduled job failed', { job: name, error: error as Error });
      }
    }
  }
}
