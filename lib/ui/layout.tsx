/**
 * The pages' frame: plain, readable on a phone, no JavaScript. preact-render-to-string escapes every
 * interpolated value, so what people type (payee names, goods, reasons) never becomes markup.
 */
import type { ComponentChildren, VNode } from 'preact';
import { render } from 'preact-render-to-string';
import { hasRole } from '../domain/access.ts';
import type { Person, Role } from '../domain/model.ts';
import { CSS } from './styles.ts';

/** The header's links, by who may use what is behind them (the use cases check again). */
export interface NavEntry {
  href: string;
  label: string;
  /** Shown to anyone holding one of these roles; everyone when absent. */
  roles?: readonly Role[];
}

export const NAV: readonly NavEntry[] = [
  { href: '/', label: '待我处理 Waiting for me' },
  { href: '/vouchers', label: '我的付款凭单 My vouchers', roles: ['MERCHANDISER'] },
  { href: '/vouchers/new', label: '提交付款凭单 Submit', roles: ['MERCHANDISER'] },
  {
    href: '/payment-runs',
    label: '付款批次 Payment run',
    roles: ['CASHIER', 'FINANCE_REVIEWER', 'CEO', 'ADMIN'],
  },
  {
    href: '/supplier-invoices/missing',
    label: '缺发票 Missing invoices',
    roles: ['FINANCE_REVIEWER', 'CASHIER', 'ADMIN'],
  },
  {
    href: '/invoice-requests',
    label: '开票申请 Invoice requests',
    roles: ['CUSTOMER_SERVICE', 'FINANCE_INVOICING', 'FINANCE_REVIEWER', 'ADMIN'],
  },
  {
    href: '/daily-exports',
    label: '每日导出 Daily exports',
    roles: ['MERCHANDISER', 'HEAD_OF_MERCHANDISING', 'FINANCE_REVIEWER', 'FINANCE_INVOICING'],
  },
  {
    href: '/reconciliations',
    label: '周对账 Weekly reconciliation',
    roles: ['MERCHANDISER', 'HEAD_OF_MERCHANDISING', 'FINANCE_REVIEWER'],
  },
  { href: '/admin/people', label: '人员 People', roles: ['ADMIN'] },
  { href: '/admin/entities', label: '法人单位 Entities', roles: ['ADMIN'] },
  { href: '/admin/audit', label: '审计 Audit', roles: ['ADMIN'] },
  { href: '/admin/policy', label: '制度与日历 Policy and calendar', roles: ['ADMIN'] },
  { href: '/admin/delegations', label: '授权 Delegations', roles: ['ADMIN'] },
  { href: '/admin/proxy-assignments', label: '代录人 Proxies', roles: ['ADMIN'] },
  {
    href: '/supplier-changes',
    label: '供应商资料变更 Supplier changes',
    roles: ['ADMIN', 'FINANCE_REVIEWER', 'FINANCE_INVOICING'],
  },
];

export const navFor = (person: Person): NavEntry[] =>
  NAV.filter((entry) => entry.roles === undefined || hasRole(person, ...entry.roles));

export interface LayoutProps {
  title: string;
  /** The signed-in person: the header shows their links and the sign-out. Absent on link pages. */
  person?: Person | undefined;
  /** Tables a person works through (the payment run) get the width of the screen. */
  wide?: boolean;
  children: ComponentChildren;
}

export function Layout({ title, person, wide, children }: LayoutProps) {
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · fundflow`}</title>
        {/* A constant stylesheet (never user input), allowed by its CSP hash. */}
        <style dangerouslySetInnerHTML={{ __html: CSS }} />
      </head>
      <body>
        <header>
          <a href="/">
            <strong>fundflow</strong>
          </a>
          {person && (
            <>
              <nav aria-label="导航 Navigation">
                {navFor(person).map((entry) => (
                  <a href={entry.href}>{entry.label}</a>
                ))}
              </nav>
              <span class="who">
                {person.name}
                <form method="post" action="/logout">
                  <button type="submit" class="btn-link">
                    退出 Sign out
                  </button>
                </form>
              </span>
            </>
          )}
        </header>
        <main class={wide ? 'wide' : undefined}>{children}</main>
      </body>
    </html>
  );
}

export function renderPage(page: VNode): string {
  return `<!doctype html>${render(page)}`;
}
