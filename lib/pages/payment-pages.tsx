/**
 * The cashier's day and the invoice chase as pages (POLICY 2.1(3), 2.2(3), D3–D6, D9): the run of a
 * day with its forms, the payments still missing their invoice, and the voucher page's payment part.
 * No JavaScript: every action is a form POST answered with a redirect (or the page again with the
 * refusal), so a reload never sends a payment twice — and the use case would answer it anyway.
 */
import { hasRole } from '../domain/access.ts';
import type { Issue } from '../domain/errors.ts';
import type { LocalDate, Person } from '../domain/model.ts';
import type { PaymentRunItem, PaymentRunView } from '../payments/payment-run.ts';
import type { VoucherView } from '../vouchers/voucher-view.ts';
import { Layout } from './layout.tsx';
import { ErrorSummary, evidenceHref, type Names, Status, shanghaiTime, Who, yuan } from './pages.tsx';

const PAYMENT_STATUS: Record<string, string> = {
  DUE: '待付 To pay',
  PAID: '已付 Paid',
  PAYMENT_FAILED: '失败 Failed',
};

/** The voucher page's forms (PaymentSection), so a refusal is shown at the form it answers. */
export type VoucherForm = 'supplier-invoice' | 'waiver' | 'retry' | 'return';

export interface PageError {
  message: string;
  issues: Issue[];
  /** The voucher the refused form was about. */
  voucherId?: string | undefined;
  /** Which of the voucher page's forms was refused (unknown: a form sent with no valid action). */
  form?: VoucherForm | undefined;
}

const PAYMENT_FIELD_LABELS: Record<string, string> = {
  bankReference: '银行流水号 Bank reference',
  paidOn: '付款日期 Paid on',
  reason: '原因 Reason',
};

const FAILED_PAYMENT_BUTTONS = {
  retry: '重新安排付款 Schedule again',
  return: '退回申请人 Return to applicant',
} as const;

/**
 * Finance's two answers to a failed payment, on the run page of the day it failed and on the voucher
 * page its email links to: schedule it again (the noon cutoff from now decides the run) or return it to
 * the applicant (rejected at the payment step; an edit starts a new version, D19).
 */
function FailedPaymentForms(props: { action: string; voucherId: string; onRunPage?: boolean }) {
  return (
    <>
      {(['retry', 'return'] as const).map((kind) => (
        <form
          method="post"
          enctype="multipart/form-data"
          action={props.action}
          aria-label={`${kind} ${props.voucherId}`}
        >
          {props.onRunPage && <input type="hidden" name="voucherId" value={props.voucherId} />}
          <input type="hidden" name="action" value={kind} />
          <label for={`${kind}-${props.voucherId}`}>原因 Reason</label>
          <input id={`${kind}-${props.voucherId}`} name="reason" required minLength={3} maxLength={500} />
          <button type="submit" class={kind === 'return' ? 'secondary' : undefined}>
            {FAILED_PAYMENT_BUTTONS[kind]}
          </button>
        </form>
      ))}
    </>
  );
}

function RunItemActions(props: { item: PaymentRunItem; person: Person; today: LocalDate; date: LocalDate }) {
  const { item, person, today } = props;
  const action = `/payment-runs/${props.date}`;
  const cashier = hasRole(person, 'CASHIER');
  const finance = hasRole(person, 'FINANCE_REVIEWER');
  if (item.status === 'DUE' && item.dueDate <= today && item.mayPay) {
    return (
      <>
        <form
          method="post"
          enctype="multipart/form-data"
          action={action}
          aria-label={`付款 Pay ${item.voucherId}`}
        >
          <input type="hidden" name="voucherId" value={item.voucherId} />
          <input type="hidden" name="action" value="paid" />
          <label for={`ref-${item.voucherId}`}>银行流水号 Bank reference</label>
          <input id={`ref-${item.voucherId}`} name="bankReference" required maxLength={64} />
          <label for={`on-${item.voucherId}`}>付款日期 Paid on</label>
          <input id={`on-${item.voucherId}`} name="paidOn" type="date" value={today} max={today} required />
          <button type="submit">已付款 Mark paid</button>
        </form>
        <form
          method="post"
          enctype="multipart/form-data"
          action={action}
          aria-label={`付款失败 Failed ${item.voucherId}`}
        >
          <input type="hidden" name="voucherId" value={item.voucherId} />
          <input type="hidden" name="action" value="failed" />
          <label for={`why-${item.voucherId}`}>失败原因 Why it failed</label>
          <input id={`why-${item.voucherId}`} name="reason" required minLength={3} maxLength={500} />
          <button type="submit" class="secondary">
            付款失败 Payment failed
          </button>
        </form>
      </>
    );
  }
  if (item.status === 'DUE' && item.dueDate > today && (cashier || finance)) {
    return (
      <form
        method="post"
        enctype="multipart/form-data"
        action={action}
        aria-label={`拉入今日 Pull ${item.voucherId}`}
      >
        <input type="hidden" name="voucherId" value={item.voucherId} />
        <input type="hidden" name="action" value="pull" />
        <label for={`pull-${item.voucherId}`}>原因 Reason (POLICY D5)</label>
        <input id={`pull-${item.voucherId}`} name="reason" required minLength={3} maxLength={500} />
        <button type="submit">拉入今日批次 Pull into today’s run</button>
      </form>
    );
  }
  if (item.status === 'PAYMENT_FAILED' && item.voucherStatus === 'PAYMENT_FAILED' && finance) {
    return <FailedPaymentForms action={action} voucherId={item.voucherId} onRunPage />;
  }
  return null;
}

function RunTable(props: { items: PaymentRunItem[]; person: Person; today: LocalDate; date: LocalDate }) {
  const { person } = props;
  return (
    <div class="scroll">
      <table>
        <thead>
          <tr>
            <th>凭单 Voucher</th>
            <th>收款人 Payee</th>
            <th>金额 Amount</th>
            <th>状态 Status</th>
            <th>操作 Action</th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((item) => (
            <tr data-voucher={item.voucherId}>
              <td>
                <a href={`/vouchers/${item.voucherId}`}>{item.voucherId}</a>
                <br />
                <small>{item.goods}</small>
              </td>
              <td>
                {item.payee.name}
                <br />
                <span class="account">{item.payee.account}</span>
                <br />
                <small>{item.payee.bank}</small>
              </td>
              <td class="amount">{yuan(item.amountFen)}</td>
              <td>
                <span class="badge status">{PAYMENT_STATUS[item.status] ?? item.status}</span>
                {item.overdue && <span class="badge flag">逾期 Overdue since {item.dueDate}</span>}
                {item.exported && item.status === 'DUE' && (
                  <span class="badge flag" title={item.exported.file}>
                    已导出 In a bank file {shanghaiTime(item.exported.at)} ({item.exported.by}) — 先查银行
                    check the bank
                  </span>
                )}
                {item.override && (
                  <span class="badge flag" title={item.override.reason}>
                    提前 Pulled forward by {item.override.by}: {item.override.reason}
                  </span>
                )}
                {item.pendingCountersigns.map((countersign) => (
                  <span class="badge flag">待补签 Countersign pending: {countersign.approver}</span>
                ))}
                {item.flags.map((flag) => (
                  <span class="badge flag">{flag.code}</span>
                ))}
                {item.bankReference && (
                  <small>
                    <br />
                    {item.paidOn} · {item.bankReference}
                  </small>
                )}
                {item.failureReason && (
                  <small>
                    <br />
                    {item.failureReason}
                  </small>
                )}
              </td>
              <td>
                <RunItemActions item={item} person={person} today={props.today} date={props.date} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function PaymentRunPage(props: {
  person: Person;
  run: PaymentRunView;
  today: LocalDate;
  error?: PageError | undefined;
}) {
  const { run, person } = props;
  const canExport = hasRole(person, 'CASHIER', 'FINANCE_REVIEWER');
  const notExported = run.items.filter((item) => item.status === 'DUE' && !item.exported).length;
  return (
    <Layout title={`付款批次 Payment run ${run.date}`} person={person} wide>
      <h1>
        付款批次 Payment run <small>{run.date}</small>
      </h1>
      <form method="get" action="/payment-runs" class="card inline">
        <label for="date">日期 Day</label>
        <input id="date" name="date" type="date" value={run.date} required />
        <button type="submit">查看 Show</button>
      </form>
      {props.error && (
        <ErrorSummary
          title={`未保存 Not saved${props.error.voucherId ? ` — ${props.error.voucherId}` : ''}`}
          message={props.error.message}
          issues={props.error.issues}
          labels={PAYMENT_FIELD_LABELS}
        />
      )}
      <div class="card">
        <dl>
          <dt>待付 To pay</dt>
          <dd class="amount" data-testid="due-total">
            {run.due.count} · {yuan(run.due.totalFen)}
          </dd>
          <dt>已付 Paid</dt>
          <dd class="amount" data-testid="paid-total">
            {run.paid.count} · {yuan(run.paid.totalFen)}
          </dd>
          <dt>合计 Run total</dt>
          <dd class="amount" data-testid="run-total">
            {yuan(run.totalFen)}
          </dd>
        </dl>
        {canExport && run.due.count > 0 && run.date <= props.today && (
          <form
            method="post"
            enctype="multipart/form-data"
            action={`/payment-runs/${run.date}/bank-batch`}
            class="inline"
            aria-label="银行批量文件 Bank batch"
          >
            <span>银行批量文件 Bank batch ({notExported} 笔未导出 not yet in a file):</span>
            <button type="submit" name="format" value="csv">
              CSV
            </button>
            <button type="submit" name="format" value="xlsx">
              XLSX
            </button>
            {notExported < run.due.count && (
              <label>
                <input type="checkbox" name="includeExported" value="yes" /> 含已导出的
                {run.due.count - notExported} 笔 also those already in a file (check the bank first)
              </label>
            )}
          </form>
        )}
      </div>
      {run.items.length === 0 ? (
        <p class="card">这一天没有付款 Nothing to pay in this run.</p>
      ) : (
        <RunTable items={run.items} person={person} today={props.today} date={run.date} />
      )}
      {run.pullable.length > 0 && (
        <section data-testid="pullable">
          <h2>中午后审核，排在下一批次 Payable since noon — in the next run</h2>
          <p class="muted">
            按规定次日支付；出纳或财务可说明原因后拉入今日批次。Became payable after the noon cutoff, so due
            in the next working day’s run; the cashier or finance may pull one into today’s run, with a reason
            (POLICY 2.2(3), D5).
          </p>
          <RunTable items={run.pullable} person={person} today={props.today} date={run.date} />
        </section>
      )}
    </Layout>
  );
}

/**
 * The payments still missing their invoice, oldest payment first, a page at a time: `nextPage` (the
 * next page's address) only when more follow; `laterPage` when this is not the first page.
 */
export function MissingInvoicesPage(props: {
  person: Person;
  vouchers: VoucherView[];
  names: Names;
  nextPage?: string | undefined;
  laterPage?: boolean;
}) {
  return (
    <Layout title="缺供应商发票 Payments missing their invoice" person={props.person}>
      <h1>缺供应商发票 Payments missing their invoice</h1>
      {props.vouchers.length === 0 ? (
        <p class="card">
          {props.laterPage
            ? '后面没有了。Nothing more after the previous page.'
            : '所有已付款项都已登记发票。Every payment has its invoice.'}
        </p>
      ) : (
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th>付款日 Paid on</th>
                <th>凭单 Voucher</th>
                <th>供应商 Supplier</th>
                <th>金额 Amount</th>
                <th>申请人 Applicant</th>
              </tr>
            </thead>
            <tbody>
              {props.vouchers.map((voucher) => (
                <tr data-voucher={voucher.id}>
                  <td>{voucher.payment?.paidOn}</td>
                  <td>
                    <a href={`/vouchers/${voucher.id}`}>{voucher.id}</a>
                  </td>
                  <td>{voucher.supplierName}</td>
                  <td class="amount">{yuan(voucher.amountFen)}</td>
                  <td>
                    <Who email={voucher.applicant} names={props.names} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(props.nextPage || props.laterPage) && (
        <nav aria-label="翻页 Pages">
          <p>
            {props.laterPage && <a href="/supplier-invoices/missing">第一页 First page</a>}
            {props.laterPage && props.nextPage && ' · '}
            {props.nextPage && (
              <a href={props.nextPage} rel="next">
                下一页 Next page
              </a>
            )}
          </p>
        </nav>
      )}
    </Layout>
  );
}

const INVOICE_FIELD_LABELS: Record<string, string> = {
  type: '发票类型 Type',
  number: '发票号码 Number',
  code: '发票代码 Code',
  issuedOn: '开票日期 Issued on',
  amount: '价税合计 Amount',
  taxAmount: '税额 Tax',
  file: '发票文件 Copy of the invoice',
  contentType: '发票文件 Copy of the invoice',
  size: '发票文件 Copy of the invoice',
};

const REASON_LABELS: Record<string, string> = { reason: '原因 Reason', action: '操作 Action' };

/**
 * The voucher page's payment part: the run, the payment, the invoice — and the forms of whoever may act
 * on it now: finance's answer to a failed payment, finance's waiver of the VAT special invoice, the
 * invoice itself. A refusal is shown in the form it answers, or above the forms when that form is no
 * longer offered (the voucher moved on meanwhile).
 */
export function PaymentSection(props: {
  person: Person;
  voucher: VoucherView;
  today: LocalDate;
  error?: PageError | undefined;
}) {
  const { voucher, person, error } = props;
  const payment = voucher.payment;
  const finance = hasRole(person, 'FINANCE_REVIEWER');
  const mayAnswerFailure = voucher.status === 'PAYMENT_FAILED' && finance;
  // POLICY 2.1(3), D9: the waiver lets an ordinary invoice from a general VAT taxpayer close the voucher.
  const mayWaive = voucher.status === 'PAID' && finance && !voucher.invoiceWaiver;
  const mayRecord = voucher.status === 'PAID' && (person.email === voucher.applicant || finance);
  const offered: Record<VoucherForm, boolean> = {
    retry: mayAnswerFailure,
    return: mayAnswerFailure,
    waiver: mayWaive,
    'supplier-invoice': mayRecord,
  };
  // Where a refusal shows: in the form it answers while that form is still offered, else above them.
  const refusedAt = error && (error.form && offered[error.form] ? error.form : 'above');
  const summary = (title: string, labels: Record<string, string>) =>
    error && <ErrorSummary title={title} message={error.message} issues={error.issues} labels={labels} />;
  if (!payment) return refusedAt ? summary('未保存 Not saved', REASON_LABELS) : null;
  return (
    <>
      <h2>付款 Payment</h2>
      <div class="card">
        <dl>
          <dt>付款批次 Run</dt>
          <dd>
            {payment.dueDate}
            {payment.override && (
              <small>
                {' '}
                (提前自 pulled forward from {payment.override.originalDueDate}: {payment.override.reason})
              </small>
            )}
          </dd>
          <dt>状态 Status</dt>
          <dd>
            <Status status={voucher.status} />
          </dd>
          {payment.paidOn && (
            <>
              <dt>付款日期 Paid on</dt>
              <dd>{payment.paidOn}</dd>
              <dt>银行流水号 Bank reference</dt>
              <dd>{payment.bankReference}</dd>
            </>
          )}
          {payment.failureReason && (
            <>
              <dt>失败原因 Failure</dt>
              <dd>{payment.failureReason}</dd>
            </>
          )}
          {voucher.supplierInvoice && (
            <>
              <dt>供应商发票 Supplier invoice</dt>
              <dd>
                {voucher.supplierInvoice.type === 'VAT_SPECIAL'
                  ? '增值税专用发票 VAT special'
                  : '普通发票 VAT ordinary'}{' '}
                {voucher.supplierInvoice.number} · {voucher.supplierInvoice.issuedOn} · ¥
                {voucher.supplierInvoice.amount} (税 tax ¥{voucher.supplierInvoice.taxAmount}) ·{' '}
                {shanghaiTime(voucher.supplierInvoice.recordedAt)}
                {voucher.supplierInvoice.file && (
                  <>
                    {' · '}
                    <a href={evidenceHref(voucher.supplierInvoice.file)}>发票文件 copy</a>
                  </>
                )}
              </dd>
            </>
          )}
          {voucher.invoiceWaiver && (
            <>
              <dt>免专票 Special invoice waived</dt>
              <dd data-testid="invoice-waiver">
                {voucher.invoiceWaiver.by}: {voucher.invoiceWaiver.reason}
              </dd>
            </>
          )}
        </dl>
      </div>
      {refusedAt === 'above' && summary('未保存 Not saved', { ...REASON_LABELS, ...INVOICE_FIELD_LABELS })}
      {mayAnswerFailure && (
        <section class="card" aria-label="付款失败后 After the failed payment">
          <h2>付款失败后 After the failed payment</h2>
          {(refusedAt === 'retry' || refusedAt === 'return') && summary('未保存 Not saved', REASON_LABELS)}
          <p class="muted">
            重新安排：按中午截止时间排入付款批次；退回：申请人可修改后重新提交。Schedule again: the noon
            cutoff from now decides its run. Return: rejected at the payment step; the applicant may edit and
            resubmit it (POLICY D19).
          </p>
          <FailedPaymentForms action={`/vouchers/${voucher.id}/payment`} voucherId={voucher.id} />
        </section>
      )}
      {mayWaive && (
        <form
          method="post"
          enctype="multipart/form-data"
          action={`/vouchers/${voucher.id}/supplier-invoice/waiver`}
          class="card"
        >
          <h2>免专票 Waive the VAT special invoice</h2>
          {refusedAt === 'waiver' && summary('未保存 Not saved', REASON_LABELS)}
          <p class="muted">
            一般纳税人供应商须开具增值税专用发票；财务可说明原因后接受普通发票。A general VAT taxpayer must
            issue a VAT special invoice; finance may accept an ordinary one, with a reason (POLICY 2.1(3)).
          </p>
          <label for="waiver-reason">原因 Reason</label>
          <input id="waiver-reason" name="reason" required minLength={3} maxLength={500} />
          <button type="submit" class="secondary">
            接受普通发票 Accept an ordinary invoice
          </button>
        </form>
      )}
      {mayRecord && (
        <form
          method="post"
          enctype="multipart/form-data"
          action={`/vouchers/${voucher.id}/supplier-invoice`}
          class="card"
        >
          <h2>登记供应商发票 Record the supplier’s invoice</h2>
          {refusedAt === 'supplier-invoice' && summary('未登记 Not recorded', INVOICE_FIELD_LABELS)}
          <label for="type">发票类型 Type</label>
          <select id="type" name="type">
            <option value="VAT_SPECIAL">增值税专用发票 VAT special</option>
            <option value="VAT_ORDINARY">增值税普通发票 VAT ordinary</option>
          </select>
          <label for="number">
            发票号码 Number (20 位全电发票，或 8 位 + 代码 / 20 digits, or 8 with a code)
          </label>
          <input id="number" name="number" required inputMode="numeric" maxLength={32} />
          <label for="code">发票代码 Code (旧版发票 older invoices only)</label>
          <input id="code" name="code" inputMode="numeric" maxLength={16} />
          <label for="issuedOn">开票日期 Issued on</label>
          <input id="issuedOn" name="issuedOn" type="date" max={props.today} required />
          <label for="amount">价税合计 Amount (yuan)</label>
          <input id="amount" name="amount" required inputMode="decimal" />
          <label for="taxAmount">税额 Tax (yuan)</label>
          <input id="taxAmount" name="taxAmount" required inputMode="decimal" />
          <label for="invoiceFile">发票文件 Copy of the invoice (optional: PDF, OFD, XML or an image)</label>
          <input
            id="invoiceFile"
            name="invoiceFile"
            type="file"
            accept=".pdf,.ofd,.xml,image/png,image/jpeg,application/pdf,application/ofd,application/xml,text/xml"
          />
          <button type="submit">登记并关闭 Record and close</button>
        </form>
      )}
    </>
  );
}
