/**
 * The pages' frame: plain, readable on a phone, no JavaScript. preact-render-to-string escapes every
 * interpolated value, so user input (payee names, goods, reasons) can never become markup.
 */
import { createHash } from 'node:crypto';
import type { ComponentChildren, VNode } from 'preact';
import { render } from 'preact-render-to-string';
import { hasRole } from '../domain/access.ts';
import type { Person } from '../domain/model.ts';

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;color:#1f2328;background:#f6f8fa}
header{background:#0b3d62;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
header a{color:#fff}
header .who{margin-left:auto;font-size:.9rem}
header form{display:inline}
main{max-width:52rem;margin:0 auto;padding:1rem}
main.wide{max-width:84rem}
h1{font-size:1.4rem;margin:.5rem 0 1rem}
h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
a{color:#0550ae}
small,.muted{color:#57606a;font-size:.85rem}
.card{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:1rem;margin-bottom:1rem;overflow-wrap:anywhere}
table{width:100%;border-collapse:collapse;background:#fff}
th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid #d0d7de;vertical-align:top;overflow-wrap:anywhere}
.scroll{overflow-x:auto}
dl{display:grid;grid-template-columns:minmax(6rem,max-content) 1fr;gap:.3rem 1rem;margin:0}
dt{color:#57606a}
dd{margin:0;overflow-wrap:anywhere}
label{display:block;margin:.8rem 0 .2rem;font-weight:600}
input,select,textarea{width:100%;font:inherit;padding:.5rem;border:1px solid #8c959f;border-radius:6px;background:#fff}
textarea{min-height:4.5rem}
form.inline{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
form.inline label{margin:0}
form.inline input{width:auto}
form.inline button{margin-top:0}
button{font:inherit;padding:.6rem 1.2rem;border:0;border-radius:6px;background:#1f6feb;color:#fff;cursor:pointer;margin-top:1rem}
button.secondary{background:#fff;color:#a40e26;border:1px solid #cf222e}
button.link{background:none;color:#fff;padding:0;margin:0;text-decoration:underline}
.amount{font-variant-numeric:tabular-nums;font-weight:600;white-space:nowrap}
.account{font-variant-numeric:tabular-nums;white-space:nowrap}
.badge{display:inline-block;padding:.1rem .5rem;border-radius:999px;font-size:.8rem;font-weight:600;background:#eaeef2;margin:.1rem .2rem .1rem 0}
.flag{background:#fff1e5;color:#953800;border:1px solid #fb8f44}
.status{background:#ddf4ff;color:#0550ae}
.errors{background:#ffebe9;border:1px solid #ff8182;border-radius:8px;padding:.8rem 1rem;margin-bottom:1rem}
.errors h2{margin-top:0;color:#a40e26}
.flags{border-left:4px solid #fb8f44}
.steps li{margin-bottom:.6rem}
.history .when{white-space:nowrap}
`;

/** The one inline style, allowed by its hash; no script may run at all. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(CSS).digest('base64')}'`,
  "img-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface LayoutProps {
  title: string;
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
              {hasRole(person, 'MERCHANDISER') && (
                <>
                  <a href="/vouchers">我的付款凭单 My vouchers</a>
                  <a href="/vouchers/new">提交付款凭单 Submit</a>
                </>
              )}
              {hasRole(person, 'CASHIER', 'FINANCE_REVIEWER', 'CEO', 'ADMIN') && (
                <a href="/payment-runs">付款批次 Payment run</a>
              )}
              {hasRole(person, 'FINANCE_REVIEWER', 'CASHIER', 'ADMIN') && (
                <a href="/supplier-invoices/missing">缺发票 Missing invoices</a>
              )}
              <span class="who">
                {person.name}{' '}
                <form method="post" action="/logout">
                  <button type="submit" class="link">
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
