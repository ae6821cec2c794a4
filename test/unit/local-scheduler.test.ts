/**
 * The local scheduler (lib/local/scheduler.ts): the runtime's stand-in for EventBridge Scheduler, on
 * the dev clock. Jobs here only record the occurrence they were run for.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import {
  CATCH_UP_DAYS,
  type Cron,
  type LocalJob,
  LocalScheduler,
  occurrencesBetween,
} from '../../lib/local/scheduler.ts';
import { logger } from '../../lib/observability/logger.ts';
import { FixedClock } from '../support/app.ts';

const DAILY_1730 = { minute: '30', hour: '17', weekDay: '*' };
const MONDAY_0900 = { minute: '0', hour: '9', weekDay: 'MON' };
const DAY_MS = 24 * 3600 * 1000;

const schedulers: LocalScheduler[] = [];
afterEach(() => {
  for (const scheduler of schedulers.splice(0)) scheduler.stop();
});

/** A scheduler of jobs that record `job scheduledTime`; `hangOn` never finishes (a process killed mid-job). */
function scheduler(
  clock: FixedClock,
  crons: Record<string, Cron | { everyMinutes: number; catchUp?: 'eachDay' }>,
  stateFile: string,
  hangOn?: string,
) {
  const runs: string[] = [];
  let hung: () => void = () => undefined;
  const reachedHang = new Promise<void>((resolve) => {
    hung = resolve;
  });
  const jobs = Object.fromEntries(
    Object.entries(crons).map(([name, schedule]): [string, LocalJob] => [
      name,
      {
        ...('everyMinutes' in schedule ? schedule : { cron: schedule }),
        run: async ({ scheduledTime }) => {
          runs.push(`${name} ${scheduledTime}`);
          if (scheduledTime === hangOn) {
            hung();
            await new Promise(() => undefined);
          }
        },
      },
    ]),
  );
  const created = new LocalScheduler(jobs, clock, stateFile);
  schedulers.push(created);
  return { scheduler: created, runs, reachedHang };
}

const freshStateFile = () =>
  path.join(mkdtempSync(path.join(tmpdir(), 'fundflow-scheduler-')), 'scheduler.json');

describe('the local scheduler', () => {
  it('runs a job at a policy’s time of day once for each day a jump passed, at that day’s last occurrence, then for now', async () => {
    const clock = new FixedClock(new Date('2026-11-16T08:00:00+08:00'));
    const { scheduler: local, runs } = scheduler(
      clock,
      { dailyExport: { everyMinutes: 5, catchUp: 'eachDay' }, sweep: { everyMinutes: 5 } },
      freshStateFile(),
    );

    clock.set('2026-11-18T17:32:00+08:00');
    await local.check();
    clock.set('2026-11-18T17:36:00+08:00');
    await local.check();

    expect(runs).toEqual([
      // 23:55 Asia/Shanghai of Monday and Tuesday: after any time of day a policy can name.
      'dailyExport 2026-11-16T15:55:00.000Z',
      'dailyExport 2026-11-17T15:55:00.000Z',
      // Now: the latest occurrence, for both; a plain rate job runs only that one.
      'dailyExport 2026-11-18T09:30:00.000Z',
      'sweep 2026-11-18T09:30:00.000Z',
      'dailyExport 2026-11-18T09:35:00.000Z',
      'sweep 2026-11-18T09:35:00.000Z',
    ]);
  });

  it('runs every occurrence a jump of the clock passed, oldest first, each with its own time', async () => {
    const clock = new FixedClock(new Date('2026-11-16T08:00:00+08:00'));
    const { scheduler: local, runs } = scheduler(
      clock,
      { cashierReminders: DAILY_1730, countersignReminders: MONDAY_0900 },
      freshStateFile(),
    );

    clock.set('2026-11-18T18:00:00+08:00');
    await local.check();

    expect(runs).toEqual([
      'countersignReminders 2026-11-16T01:00:00.000Z',
      'cashierReminders 2026-11-16T09:30:00.000Z',
      'cashierReminders 2026-11-17T09:30:00.000Z',
      'cashierReminders 2026-11-18T09:30:00.000Z',
    ]);
  });

  it('after a restart runs what came due while it was stopped, and nothing it had run', async () => {
    const clock = new FixedClock(new Date('2026-11-16T08:00:00+08:00'));
    const stateFile = freshStateFile();
    const first = scheduler(clock, { cashierReminders: DAILY_1730 }, stateFile);
    clock.set('2026-11-17T18:00:00+08:00');
    await first.scheduler.check();
    first.scheduler.stop();

    clock.set('2026-11-19T18:00:00+08:00');
    const second = scheduler(clock, { cashierReminders: DAILY_1730 }, stateFile);
    await second.scheduler.check();

    expect(second.runs).toEqual([
      'cashierReminders 2026-11-18T09:30:00.000Z',
      'cashierReminders 2026-11-19T09:30:00.000Z',
    ]);
  });

  it('after a restart in the middle of catching up, resumes with the occurrence that had not finished', async () => {
    const clock = new FixedClock(new Date('2026-11-16T08:00:00+08:00'));
    const stateFile = freshStateFile();
    const first = scheduler(clock, { cashierReminders: DAILY_1730 }, stateFile, '2026-11-17T09:30:00.000Z');
    clock.set('2026-11-18T18:00:00+08:00');
    await first.reachedHang;
    first.scheduler.stop();

    const second = scheduler(clock, { cashierReminders: DAILY_1730 }, stateFile);
    await second.scheduler.check();

    expect(second.runs).toEqual([
      'cashierReminders 2026-11-17T09:30:00.000Z',
      'cashierReminders 2026-11-18T09:30:00.000Z',
    ]);
  });

  it(`catches up at most the last ${CATCH_UP_DAYS} days of a longer jump, and logs what it skipped`, async () => {
    const clock = new FixedClock(new Date('2026-09-01T08:00:00+08:00'));
    const { scheduler: local, runs } = scheduler(clock, { cashierReminders: DAILY_1730 }, freshStateFile());
    const warn = vi.spyOn(logger, 'warn');
    onTestFinished(() => warn.mockRestore());

    clock.set('2026-11-18T18:00:00+08:00');
    await local.check();

    expect(runs).toHaveLength(CATCH_UP_DAYS);
    expect(runs[0]).toBe('cashierReminders 2026-10-19T09:30:00.000Z');
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('skipped'),
      expect.objectContaining({ job: 'cashierReminders' }),
    );
  });

  it('runs a job of every minute at each minute the clock passes, and not twice in one minute', async () => {
    const clock = new FixedClock(new Date('2026-11-18T10:00:20+08:00'));
    const { scheduler: local, runs } = scheduler(clock, { sweep: { everyMinutes: 1 } }, freshStateFile());

    clock.set('2026-11-18T10:00:50+08:00');
    await local.check();
    clock.set('2026-11-18T10:01:05+08:00');
    await local.check();
    clock.set('2026-11-18T10:01:40+08:00');
    await local.check();
    clock.set('2026-11-18T10:02:00+08:00');
    await local.check();

    expect(runs).toEqual(['sweep 2026-11-18T02:01:00.000Z', 'sweep 2026-11-18T02:02:00.000Z']);
  });

  it('runs a job of every minute once, for the latest minute, when the clock jumps over many', async () => {
    const clock = new FixedClock(new Date('2026-11-18T10:00:20+08:00'));
    const { scheduler: local, runs } = scheduler(
      clock,
      { sweep: { everyMinutes: 1 }, cashierReminders: DAILY_1730 },
      freshStateFile(),
    );

    clock.set('2026-11-20T18:00:30+08:00');
    await local.check();

    expect(runs.filter((run) => run.startsWith('sweep'))).toEqual(['sweep 2026-11-20T10:00:00.000Z']);
    expect(runs.filter((run) => run.startsWith('cashier'))).toHaveLength(3);
  });
});

describe('the occurrences of a daily cron between two instants', () => {
  const instant = fc
    .integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2026-12-31T00:00:00Z') })
    .map((ms) => new Date(ms));

  it('are every 17:30 Asia/Shanghai after the first instant and up to the second, oldest first', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 40 * DAY_MS }), (after, span) => {
        const upTo = new Date(after.getTime() + span);
        // Shanghai has no daylight saving: 17:30 there is 09:30 UTC, every day.
        let next = Math.floor(after.getTime() / DAY_MS) * DAY_MS + 9.5 * 3600 * 1000;
        if (next <= after.getTime()) next += DAY_MS;
        const expected: number[] = [];
        for (let at = next; at <= upTo.getTime(); at += DAY_MS) expected.push(at);

        expect(occurrencesBetween(DAILY_1730, after, upTo).map((at) => at.getTime())).toEqual(expected);
      }),
    );
  });
});
