/**
 * The administrator's settings against the real local runtime (issue 14 §3, §4): the policy versions'
 * and the calendar's API over real HTTP, and their pages in Chromium at 390 and 1366 px.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, EDITABLE_POLICY_SETTINGS } from '../../lib/domain/policy.ts';
import { launchBrowser, signIn } from '../support/browser.ts';
import { type RunningRuntime, startRuntime } from '../support/runtime.ts';

const ADMIN = 'admin@lianshang.example';
const NUMBERS = Object.fromEntries(EDITABLE_POLICY_SETTINGS.map((key) => [key, DEFAULT_POLICY[key]]));

let server: RunningRuntime;
let browser: Browser;
let admin: string;
let entityId: string;

beforeAll(async () => {
  server = await startRuntime();
  browser = await launchBrowser();
  admin = await server.login(ADMIN);
  entityId = (await server.runtime.deps.store.people.get(ADMIN))?.entityId ?? '';
  await server.setClock('2026-11-18T10:00:00+08:00');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.runtime.stop();
});

const send = (path: string, method: string, body?: unknown) =>
  server.api(path, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    token: admin,
  });

describe('the policy API', () => {
  it('adds a version from a day of its own and lists it beside the one in effect', async () => {
    const added = await send(`/api/entities/${entityId}/policy`, 'POST', {
      ...NUMBERS,
      effectiveFrom: '2026-12-01',
    });
    const listed = await send(`/api/entities/${entityId}/policy`, 'GET');

    expect(added.status).toBe(201);
    const body = (await listed.json()) as {
      current: { version: number };
      versions: { version: number; state: string }[];
    };
    expect(body.current.version).toBe(1);
    expect(body.versions.slice(0, 2).map((version) => version.state)).toEqual(['SCHEDULED', 'IN_EFFECT']);
  });

  it('refuses a version in the past with 422, and one missing a number with 400', async () => {
    const past = await send(`/api/entities/${entityId}/policy`, 'POST', {
      ...NUMBERS,
      effectiveFrom: '2026-11-17',
    });
    const { ceoThresholdFen: _left, ...missing } = NUMBERS;
    const partial = await send(`/api/entities/${entityId}/policy`, 'POST', {
      ...missing,
      effectiveFrom: '2027-01-01',
    });

    expect(past.status).toBe(422);
    expect(await past.json()).toMatchObject({ error: { code: 'POLICY_VERSION_IN_THE_PAST' } });
    expect(partial.status).toBe(400);
    expect(await partial.json()).toMatchObject({ error: { issues: [{ path: 'ceoThresholdFen' }] } });
  });
});

describe('the calendar API', () => {
  it('loads 2027’s official schedule: the year counts as official from then on', async () => {
    const before = (await (await send('/api/calendar/2027', 'GET')).json()) as { official: boolean };
    const loaded = await send('/api/calendar/years/2027', 'POST', {
      source: '国务院办公厅通知（测试）State Council notice (test copy)',
      holidays: ['2027-01-01', '2027-02-08'],
      workdays: ['2027-02-20'],
    });
    const after = (await (await send('/api/calendar/2027', 'GET')).json()) as {
      official: boolean;
      days: { date: string; working: boolean; source: string }[];
    };

    expect(before.official).toBe(false);
    expect(loaded.status).toBe(200);
    expect(after.official).toBe(true);
    expect(after.days.find((day) => day.date === '2027-02-20')).toEqual({
      date: '2027-02-20',
      working: true,
      source: 'OFFICIAL',
    });
    expect(after.days.some((day) => day.source === 'WEEKDAY_FALLBACK')).toBe(false);
  });

  it('sets and removes an override over HTTP, and refuses removing one that is not there with 404', async () => {
    const set = await send('/api/calendar/overrides', 'POST', {
      date: '2026-12-30',
      working: false,
      reason: '年终盘点 year-end stocktaking',
    });
    const removed = await send('/api/calendar/overrides/2026-12-30', 'DELETE');
    const again = await send('/api/calendar/overrides/2026-12-30', 'DELETE');

    expect([set.status, removed.status, again.status]).toEqual([200, 200, 404]);
  });
});

async function withPage<T>(width: number, act: (page: Page) => Promise<T>): Promise<T> {
  const context: BrowserContext = await browser.newContext({ viewport: { width, height: 900 } });
  try {
    return await act(await context.newPage());
  } finally {
    await context.close();
  }
}

const looks = (page: Page) =>
  page.evaluate(() => ({
    heading: document.querySelector('h1')?.textContent ?? '',
    scrollWidth: document.documentElement.scrollWidth,
    styled: document.querySelectorAll('[style]').length,
    text: document.body.innerText,
  }));

describe('the settings pages', () => {
  it.each([390, 1366])(
    'show the policy versions and the calendar year at %i px in both languages, without sideways scrolling or style attributes',
    async (width) => {
      const seen = await withPage(width, async (page) => {
        await signIn(page, server.runtime.url, ADMIN);
        await page.goto(`${server.runtime.url}/admin/policy`);
        const policy = await looks(page);
        await page.goto(`${server.runtime.url}/admin/calendar/2026`);
        const calendar = await looks(page);
        const nationalDay = await page.getAttribute('[data-date="2026-10-01"]', 'class');
        const makeUpSaturday = await page.getAttribute('[data-date="2026-10-10"]', 'class');
        return { policy, calendar, nationalDay, makeUpSaturday };
      });

      for (const shown of [seen.policy, seen.calendar]) {
        expect(shown.scrollWidth).toBeLessThanOrEqual(width);
        expect(shown.styled).toBe(0);
        expect(shown.text).not.toMatch(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/);
      }
      expect(seen.policy.heading).toBe('制度设置 Policy settings');
      expect(seen.calendar.heading).toBe('工作日历 2026 Working-day calendar');
      expect([seen.nationalDay, seen.makeUpSaturday]).toEqual(['off', 'working']);
    },
  );

  it('saves a day off from the calendar page’s form and shows it changed, with its reason', async () => {
    const seen = await withPage(390, async (page) => {
      await signIn(page, server.runtime.url, ADMIN);
      await page.goto(`${server.runtime.url}/admin/calendar/2026`);
      await page.fill('input[name="date"]', '2026-12-29');
      await page.selectOption('select[name="working"]', 'false');
      await page.fill('input[name="reason"]', '公司团建 company outing');
      await page.click('form[action="/admin/calendar/2026"] button:has-text("保存 Save")');
      return {
        confirmation: await page.textContent('.confirmation'),
        day: await page.getAttribute('[data-date="2026-12-29"]', 'class'),
        row: await page.textContent('[data-override="2026-12-29"]'),
      };
    });

    expect(seen.confirmation).toContain('The calendar is updated');
    expect(seen.day).toBe('off override');
    expect(seen.row).toContain('公司团建 company outing');
  });

  it('saves a new policy version from its form, the numbers as the page shows them', async () => {
    const seen = await withPage(1366, async (page) => {
      await signIn(page, server.runtime.url, ADMIN);
      await page.goto(`${server.runtime.url}/admin/policy`);
      await page.fill('input[name="effectiveFrom"]', '2027-03-01');
      await page.fill('input[name="ceoThresholdFen"]', '300000.00');
      await page.click('button:has-text("保存新版本")');
      return {
        confirmation: await page.textContent('.confirmation'),
        row: await page.textContent('[data-version="3"]'),
      };
    });

    expect(seen.confirmation).toContain('The new version is saved');
    expect(seen.row).toContain('2027-03-01');
    expect(seen.row).toContain('300000.00');
  });
});
