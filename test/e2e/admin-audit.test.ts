/**
 * The audit view (issue 14 §8) against the real local runtime: everything one person did, across
 * vouchers, suppliers, people and legal entities, newest first, by day range and a page at a time —
 * read from the `auditByActor` index — for administrators of the actor's own entity only.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableDefinition } from '../../lib/storage/table-definition.ts';
import { launchBrowser, signIn } from '../support/browser.ts';
import { jsonPost, type RunningRuntime, startRuntime } from '../support/runtime.ts';

const ADMIN = 'admin@lianshang.example';
const LI_NA = 'li.na@lianshang.example';

let server: RunningRuntime;
let browser: Browser;
let admin: string;
let voucherId: string;

interface Trail {
  items: { at: string; actor: string; type: string; subject: { kind: string; id: string } }[];
  nextCursor: string | null;
}
const trail = async (query: string, token = admin) => {
  const response = await server.api(`/api/audit?${query}`, { token });
  return { status: response.status, body: (await response.json()) as Trail };
};

beforeAll(async () => {
  server = await startRuntime();
  browser = await launchBrowser();
  admin = await server.login(ADMIN);
  // Tuesday: the admin adds a person and a supplier.
  await server.setClock('2026-11-17T10:00:00+08:00');
  const person = await server.api('/api/people', {
    ...jsonPost({
      email: 'audit.new@lianshang.example',
      name: '审计 Audit',
      entityId: 'lianshang-sh',
      roles: ['CUSTOMER_SERVICE'],
      active: true,
    }),
    token: admin,
  });
  expect(person.status).toBe(201);
  const supplier = await server.api('/api/suppliers', {
    ...jsonPost({
      id: 'SUP-AUDIT',
      name: '苏州审计测试有限公司',
      bankAccount: '6222 1111 2222 3333',
      bankName: '中国银行苏州分行',
      accountType: 'CORPORATE',
    }),
    token: admin,
  });
  expect(supplier.status).toBe(201);
  // Wednesday: li.na submits a voucher, and the admin changes the person.
  await server.setClock('2026-11-18T09:00:00+08:00');
  voucherId = await server.submitTextileVoucher(
    await server.login(LI_NA),
    'audit-0001',
    'LS-20261116-0001',
    '100.00',
  );
  const changed = await server.api('/api/people/audit.new@lianshang.example', {
    ...jsonPost({
      email: 'audit.new@lianshang.example',
      name: '审计员 Auditor',
      entityId: 'lianshang-sh',
      roles: ['CUSTOMER_SERVICE'],
      active: true,
    }),
    method: 'PUT',
    token: admin,
  });
  expect(changed.status).toBe(200);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.runtime.stop();
});

describe('the audit view', () => {
  it('shows everything an administrator did across people and suppliers, newest first, each with what it was about', async () => {
    const { status, body } = await trail(`actor=${ADMIN}&from=2026-11-17&to=2026-11-18`);

    expect(status).toBe(200);
    expect(body.items.map((item) => [item.type, item.subject.kind, item.subject.id])).toEqual([
      ['PERSON_UPDATED', 'person', 'audit.new@lianshang.example'],
      ['SUPPLIER_CREATED', 'supplier', 'SUP-AUDIT'],
      ['PERSON_CREATED', 'person', 'audit.new@lianshang.example'],
    ]);
    expect(body.items.every((item) => item.actor === ADMIN)).toBe(true);
  });

  it('shows what a merchandiser did to their voucher', async () => {
    const { body } = await trail(`actor=${LI_NA}&from=2026-11-18&to=2026-11-18`);

    expect(body.items.map((item) => [item.type, item.subject.id])).toContainEqual([
      'VOUCHER_SUBMITTED',
      voucherId,
    ]);
  });

  it('narrows to Asia/Shanghai days, inclusive at both ends', async () => {
    const tuesday = await trail(`actor=${ADMIN}&from=2026-11-17&to=2026-11-17`);

    expect(tuesday.body.items.map((item) => item.type)).toEqual(['SUPPLIER_CREATED', 'PERSON_CREATED']);
  });

  it('pages with the cursor it gave, and refuses one it did not', async () => {
    const first = await trail(`actor=${ADMIN}&from=2026-11-17&to=2026-11-18&limit=2`);
    const second = await trail(
      `actor=${ADMIN}&from=2026-11-17&to=2026-11-18&limit=2&cursor=${first.body.nextCursor ?? ''}`,
    );
    const forged = await trail(`actor=${ADMIN}&cursor=bm90LWEtY3Vyc29y`);

    expect(first.body.items).toHaveLength(2);
    expect(second.body.items.map((item) => item.type)).toEqual(['PERSON_CREATED']);
    expect(second.body.nextCursor).toBeNull();
    expect(forged.status).toBe(400);
  });

  it('is for administrators of the actor’s entity only: another role 403, another entity 403 or 404', async () => {
    const merchandiser = await trail(`actor=${ADMIN}`, await server.login(LI_NA));
    const otherEntity = await trail(`actor=${ADMIN}&entity=lianshang-gz`);
    const otherActor = await trail('actor=gz.admin@lianshang.example');
    const gzAdmin = await trail(`actor=${ADMIN}`, await server.login('gz.admin@lianshang.example'));

    expect(merchandiser.status).toBe(403);
    expect(otherEntity.status).toBe(403);
    expect(otherActor.status).toBe(404);
    expect(gzAdmin.status).toBe(404);
  });

  it('is served by an index named after its access pattern, keyed by actor and instant', () => {
    expect(tableDefinition.globalSecondaryIndexes).toContainEqual({
      indexName: 'auditByActor',
      partitionKey: { name: 'auditActorPk', type: 'S' },
      sortKey: { name: 'auditActorSk', type: 'S' },
    });
  });
});

async function seenAt(width: number, email: string, pathname: string) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  try {
    const page: Page = await context.newPage();
    await signIn(page, server.runtime.url, email);
    const response = await page.goto(`${server.runtime.url}${pathname}`);
    return {
      status: response?.status(),
      ...(await page.evaluate(() => ({
        heading: document.querySelector('h1')?.textContent,
        rows: Array.from(document.querySelectorAll('[data-person],[data-entity],[data-event]')).map(
          (row) =>
            row.getAttribute('data-person') ??
            row.getAttribute('data-entity') ??
            row.getAttribute('data-event'),
        ),
        scrollWidth: document.documentElement.scrollWidth,
        styled: document.querySelectorAll('[style]').length,
        text: document.body.innerText,
        nav: Array.from(document.querySelectorAll('header a')).map((a) => a.getAttribute('href')),
      }))),
    };
  } finally {
    await context.close();
  }
}

describe('the administration pages', () => {
  it.each([390, 1366])(
    'shows the people, the entities and one person’s audit trail at %i px, in both languages, without sideways scrolling or style attributes',
    async (width) => {
      const people = await seenAt(width, ADMIN, '/admin/people');
      const entities = await seenAt(width, ADMIN, '/admin/entities');
      const audit = await seenAt(
        width,
        ADMIN,
        `/admin/audit?actor=${encodeURIComponent(ADMIN)}&from=2026-11-17&to=2026-11-18`,
      );

      expect(people.heading).toBe('人员与角色 People and roles');
      expect(people.rows).toContain('audit.new@lianshang.example');
      expect(people.rows).not.toContain('gz.admin@lianshang.example');
      expect(people.text).toContain('商品部负责人');
      expect(people.nav).toEqual(
        expect.arrayContaining(['/admin/people', '/admin/entities', '/admin/audit']),
      );
      expect(entities.heading).toBe('法人单位 Legal entities');
      expect(entities.rows).toEqual(['lianshang-gz', 'lianshang-sh']);
      expect(audit.heading).toBe('审计记录 Audit trail');
      expect(audit.rows).toEqual(['PERSON_UPDATED', 'SUPPLIER_CREATED', 'PERSON_CREATED']);
      expect(audit.text).toContain('新增人员 Person added');
      for (const seen of [people, entities, audit]) {
        expect(seen.status).toBe(200);
        expect(seen.scrollWidth).toBeLessThanOrEqual(width);
        expect(seen.styled).toBe(0);
        expect(seen.text).not.toMatch(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/);
      }
    },
  );

  it('refuses the pages to anyone but an administrator, in words', async () => {
    const seen = await seenAt(390, LI_NA, '/admin/people');

    expect(seen.status).toBe(403);
    expect(seen.nav).not.toContain('/admin/people');
    expect(seen.text).not.toMatch(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b/);
  });
});
