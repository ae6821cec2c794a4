/**
 * The UI kit's promises that hold without a browser: a colour per status, a label on every table
 * cell, every issue of a refusal at once in plain words, a field's own error beside it, money and
 * Shanghai time (the suite runs in America/Los_Angeles on purpose).
 */
import { render } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { VOUCHER_STATUSES } from '../../lib/domain/model.ts';
import { PaymentStatusBadge, StatusBadge, statusClass } from '../../lib/ui/badges.tsx';
import { ErrorSummary, TextField } from '../../lib/ui/controls.tsx';
import { plainMessage, shanghaiTime, yuan } from '../../lib/ui/format.ts';
import { CONTENT_SECURITY_POLICY, CSS } from '../../lib/ui/styles.ts';
import { CardTable } from '../../lib/ui/table.tsx';

/** The declarations of the rule that names this class (`.status-paid{…}`, or in a list of selectors). */
function ruleOf(className: string): string {
  const rule = [...CSS.matchAll(/([^{}]+)\{([^}]*)\}/g)].find((match) =>
    (match[1] ?? '').split(',').some((selector) => selector.trim() === `.${className}`),
  );
  return rule?.[2] ?? '';
}
const background = (className: string) => /background:([^;]+)/.exec(ruleOf(className))?.[1];

describe('status badges', () => {
  it('give every voucher status a colour of its own', () => {
    const colours = VOUCHER_STATUSES.map((status) => background(statusClass(status)));

    expect(colours.every((colour) => colour !== undefined)).toBe(true);
    expect(new Set(colours).size).toBe(VOUCHER_STATUSES.length);
  });

  it('show the status in words, and carry its colour class', () => {
    const html = render(<StatusBadge status="PAYMENT_FAILED" />);

    expect(html).toContain('付款失败 Payment failed');
    expect(html).toContain('status-payment-failed');
  });

  it('tell a payment to make, made and failed apart by colour', () => {
    const colours = (['DUE', 'PAID', 'PAYMENT_FAILED'] as const).map((status) => {
      const html = render(<PaymentStatusBadge status={status} />);
      return background(/status-[a-z-]+/.exec(html)?.[0] ?? '');
    });

    expect(new Set(colours).size).toBe(3);
  });
});

describe('the card table', () => {
  it('labels every cell with its column, so a phone can show it as a card', () => {
    const html = render(
      <CardTable
        rows={[{ id: 'A', amount: 100 }]}
        columns={[
          { label: '凭单 Voucher', cell: (row) => row.id },
          { label: '金额 Amount', class: 'amount', cell: (row) => yuan(row.amount) },
        ]}
      />,
    );

    expect(html).toContain('<td data-label="凭单 Voucher"><div>A</div></td>');
    expect(html).toContain('<td class="amount" data-label="金额 Amount"><div>¥1.00</div></td>');
    expect(html).toContain('<table class="cards">');
  });

  it('turns into cards by CSS alone, below 40rem', () => {
    expect(CSS).toMatch(
      /@media \(max-width:40rem\)\{[^@]*table\.cards td::before\{content:attr\(data-label\)/,
    );
  });
});

describe('a refused form', () => {
  const error = {
    code: 'ORDER_NOT_SETTLED',
    statusCode: 422,
    message: 'Order LS-1 is not settled: funds not credited (POLICY 2.1(1)).',
    issues: [
      { path: 'orderIds.0', message: 'not settled (POLICY 2.1(1))' },
      { path: 'amount', message: 'at most 100.00' },
    ],
  };

  it('shows every issue at once, each named by its field, in plain words', () => {
    const html = render(
      <ErrorSummary error={error} labels={{ orderIds: '平台订单号 Order ids', amount: '金额 Amount' }} />,
    );

    expect(html).toContain('<strong>平台订单号 Order ids: </strong>not settled');
    expect(html).toContain('<strong>金额 Amount: </strong>at most 100.00');
    expect(html).toContain('订单尚未结算 The order is not settled yet');
    expect(html).not.toContain('POLICY');
    expect(html).not.toContain('ORDER_NOT_SETTLED');
    expect(html).toContain('role="alert"');
  });

  it('puts a field’s own error beside it and tells assistive technology', () => {
    const html = render(<TextField name="amount" label="金额 Amount" errors={['at most 100.00']} />);

    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('aria-describedby="amount-error"');
    expect(html).toContain('<span class="field-error" id="amount-error">at most 100.00</span>');
  });
});

describe('formatting', () => {
  it('shows money as yuan with thousands separators', () => {
    expect(yuan(123_456)).toBe('¥1,234.56');
    expect(yuan(50_000_000)).toBe('¥500,000.00');
  });

  it('shows an instant as Asia/Shanghai wall-clock time whatever the machine’s zone', () => {
    expect(shanghaiTime('2026-11-22T13:10:00Z')).toBe('2026-11-22 21:10');
    expect(shanghaiTime('2026-11-22T23:59:00+08:00')).toBe('2026-11-22 23:59');
  });

  it('drops clause references from a message shown on screen, keeping its words', () => {
    expect(plainMessage('Finance must confirm before payment (POLICY D8).')).toBe(
      'Finance must confirm before payment.',
    );
    expect(plainMessage('another cashier pays it (POLICY D18: one person, one step).')).toBe(
      'another cashier pays it (one person, one step).',
    );
    expect(plainMessage('the run (POLICY 2.2(3), D5) of today')).toBe('the run of today');
  });
});

describe('the stylesheet', () => {
  it('is the one style the pages’ CSP allows, and no script may run', () => {
    expect(CONTENT_SECURITY_POLICY).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
  });
});
