/**
 * The cashier's day and the invoice chase as screens (POLICY 2.1(3), 2.2(3), D3–D6, D9), in the UI kit
 * (lib/ui): the run of a day with its forms, the payments still missing their invoice, and the payment
 * part of the voucher page (given to lib/vouchers' page as a section). No JavaScript: every action is a
 * form POST answered with a redirect (or the page again with the refusal), so a reload never sends a
 * payment twice — and the use case would answer it anyway.
 */
import { hasRole } from '../domain/access.ts';
import type { LocalDate, Person } from '../domain/model.ts';
import { Badge, FlagBadge, PaymentStatusBadge, StatusBadge } from '../ui/badges.tsx';
import {
  Button,
  Buttons,
  Checkbox,
  ErrorSummary,
  type FormError,
  issuesAt,
  SelectField,
  TextField,
} from '../ui/controls.tsx';
import { shanghaiTime, yuan } from '../ui/format.ts';
import { INVOICE_TYPE_LABELS, labelText } from '../ui/labels.ts';
import { Layout } from '../ui/layout.tsx';
import { CardTable } from '../ui/table.tsx';
import { fileHref } from '../uploads/file-links.ts';
import type { VoucherView } from '../vouchers/voucher-view.ts';
import type { PaymentRunItem, PaymentRunView } from './payment-run.ts';

/** The voucher page's forms (PaymentSection), so a refusal is shown at the form it answers. */
export type VoucherForm = 'supplier-invoice' | 'waiver' | 'retry' | 'return';

export interface PageError extends FormError {
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

/** The refusal's issues at a form of this voucher only (the run page has one form set per voucher). */
const errorsOf = (error: PageError | undefined, voucherId: string, path: string) =>
  error?.voucherId === voucherId ? issuesAt(error, path) : [];

/**
 * Finance's two answers to a failed payment, on the run page of the day it failed and on the voucher
 * page its email links to: schedule it again (the noon cutoff from now decides the run) or return it to
 * the applicant (rejected at the payment step; an edit starts a new version, D19).
 */
function FailedPaymentForms(props: {
  action: string;
  voucherId: string;
  onRunPage?: boolean;
  error?: PageError | undefined;
}) {
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
          <TextField
            id={`${kind}-${props.voucherId}`}
            name="reason"
            label="原因 Reason"
            required
            minLength={3}
            maxLength={500}
            errors={
              props.error?.form === kind || (props.onRunPage && props.error?.voucherId === props.voucherId)
                ? issuesAt(props.error, 'reason')
                : []
            }
          />
          <Buttons>
            <Button kind={kind === 'return' ? 'danger' : 'primary'}>{FAILED_PAYMENT_BUTTONS[kind]}</Button>
          </Buttons>
        </form>
      ))}
    </>
  );
}

function RunItemActions(props: {
  item: PaymentRunItem;
  person: Person;
  today: LocalDate;
  date: LocalDate;
  error?: PageError | undefined;
}) {
  const { item, person, today, error } = props;
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
          <TextField
            id={`ref-${item.voucherId}`}
            name="bankReference"
            label="银行流水号 Bank reference"
            required
            maxLength={64}
            errors={errorsOf(error, item.voucherId, 'bankReference')}
          />
          <TextField
            id={`on-${item.voucherId}`}
            name="paidOn"
            type="date"
            label="付款日期 Paid on"
            value={today}
            max={today}
            required
            errors={errorsOf(error, item.voucherId, 'paidOn')}
          />
          <Buttons>
            <Button>已付款 Mark paid</Button>
          </Buttons>
        </form>
        <form
          method="post"
          enctype="multipart/form-data"
          action={action}
          aria-label={`付款失败 Failed ${item.voucherId}`}
        >
          <input type="hidden" name="voucherId" value={item.voucherId} />
          <input type="hidden" name="action" value="failed" />
          <TextField
            id={`why-${item.voucherId}`}
            name="reason"
            label="失败原因 Why it failed"
            required
            minLength={3}
            maxLength={500}
          />
          <Buttons>
            <Button kind="danger">付款失败 Payment failed</Button>
          </Buttons>
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
        <TextField
          id={`pull-${item.voucherId}`}
          name="reason"
          label="原因 Reason"
          hint="为什么今天就要付 Why it must be paid today"
          required
          minLength={3}
          maxLength={500}
          errors={errorsOf(error, item.voucherId, 'reason')}
        />
        <Buttons>
          <Button>拉入今日批次 Pull into today’s run</Button>
        </Buttons>
      </form>
    );
  }
  if (item.status === 'PAYMENT_FAILED' && item.voucherStatus === 'PAYMENT_FAILED' && finance) {
    return <FailedPaymentForms action={action} voucherId={item.voucherId} onRunPage error={error} />;
  }
  return null;
}

function RunTable(props: {
  items: PaymentRunItem[];
  person: Person;
  today: LocalDate;
  date: LocalDate;
  error?: PageError | undefined;
}) {
  const { person } = props;
  return (
    <CardTable
      rows={props.items}
      rowAttributes={(item) => ({ 'data-voucher': item.voucherId })}
      columns={[
        {
          label: '凭单 Voucher',
          cell: (item) => (
            <>
              <a href={`/vouchers/${item.voucherId}`}>{item.voucherId}</a>
              <br />
              <small>{item.goods}</small>
            </>
          ),
        },
        {
          label: '收款人 Payee',
          cell: (item) => (
            <>
              {item.payee.name}
              <br />
              <span class="account">{item.payee.account}</span>
              <br />
              <small>{item.payee.bank}</small>
            </>
          ),
        },
        { label: '金额 Amount', class: 'amount', cell: (item) => yuan(item.amountFen) },
        {
          label: '状态 Status',
          cell: (item) => (
            <>
              <PaymentStatusBadge status={item.status} />
              {item.overdue && <Badge kind="flag">逾期 Overdue since {item.dueDate}</Badge>}
              {item.exported && item.status === 'DUE' && (
                <Badge kind="flag">
                  已导出 In a bank file {shanghaiTime(item.exported.at)} ({item.exported.by}) — 先查银行 check
                  the bank
                </Badge>
              )}
              {item.override && (
                <Badge kind="flag">
                  提前 Pulled forward by {item.override.by}: {item.override.reason}
                </Badge>
              )}
              {item.pendingCountersigns.map((countersign) => (
                <Badge kind="flag">待补签 Countersign pending: {countersign.approver}</Badge>
              ))}
              {item.flags.map((flag) => (
                <FlagBadge code={flag.code} />
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
            </>
          ),
        },
        {
          label: '操作 Action',
          class: 'actions',
          cell: (item) => (
            <RunItemActions
              item={item}
              person={person}
              today={props.today}
              date={props.date}
              error={props.error}
            />
          ),
        },
      ]}
    />
  );
}

export function PaymentRunPage(props: {
  person: Person;
  run: PaymentRunView;
  today: LocalDate;
  error?: PageError | undefined;
}) {
  const { run, person, error } = props;
  const canExport = hasRole(person, 'CASHIER', 'FINANCE_REVIEWER');
  const notExported = run.items.filter((item) => item.status === 'DUE' && !item.exported).length;
  return (
    <Layout title={`付款批次 Payment run ${run.date}`} person={person} wide>
      <h1>
        付款批次 Payment run <small>{run.date}</small>
      </h1>
      <form method="get" action="/payment-runs" class="card inline">
        <TextField name="date" type="date" label="日期 Day" value={run.date} required />
        <Buttons>
          <Button kind="secondary">查看 Show</Button>
        </Buttons>
      </form>
      {error && (
        <ErrorSummary
          title={`未保存 Not saved${error.voucherId ? ` — ${error.voucherId}` : ''}`}
          error={error}
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
            aria-label="银行批量文件 Bank batch"
          >
            <h2>
              银行批量文件 Bank batch <small>({notExported} 笔未导出 not yet in a file)</small>
            </h2>
            {notExported < run.due.count && (
              <Checkbox
                name="includeExported"
                value="yes"
                label={`含已导出的 ${run.due.count - notExported} 笔 Also the ${run.due.count - notExported} already in a file (check the bank first)`}
              />
            )}
            <Buttons>
              <Button kind="secondary" name="format" value="csv">
                CSV
              </Button>
              <Button kind="secondary" name="format" value="xlsx">
                XLSX
              </Button>
            </Buttons>
          </form>
        )}
      </div>
      {run.items.length === 0 ? (
        <p class="card">这一天没有付款 Nothing to pay in this run.</p>
      ) : (
        <RunTable items={run.items} person={person} today={props.today} date={run.date} error={error} />
      )}
      {run.pullable.length > 0 && (
        <section data-testid="pullable">
          <h2>中午后审核，排在下一批次 Payable since noon — in the next run</h2>
          <p class="muted">
            按规定次日支付；出纳或财务可说明原因后拉入今日批次。Became payable after the noon cutoff, so due
            in the next working day’s run; the cashier or finance may pull one into today’s run, with a
            reason.
          </p>
          <RunTable items={run.pullable} person={person} today={props.today} date={run.date} error={error} />
        </section>
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
  invoiceFile: '发票文件 Copy of the invoice',
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
    error && <ErrorSummary title={title} error={error} labels={labels} />;
  const invoiceErrors = (...paths: string[]) =>
    refusedAt === 'supplier-invoice' ? issuesAt(error, ...paths) : [];
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
            <StatusBadge status={voucher.status} />
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
                {labelText(INVOICE_TYPE_LABELS[voucher.supplierInvoice.type])}{' '}
                {voucher.supplierInvoice.number} · {voucher.supplierInvoice.issuedOn} · ¥
                {voucher.supplierInvoice.amount} (税 tax ¥{voucher.supplierInvoice.taxAmount}) ·{' '}
                {shanghaiTime(voucher.supplierInvoice.recordedAt)}
                {voucher.supplierInvoice.file && (
                  <>
                    {' · '}
                    <a href={fileHref(voucher.supplierInvoice.file)}>发票文件 copy</a>
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
            resubmit it.
          </p>
          <FailedPaymentForms
            action={`/vouchers/${voucher.id}/payment`}
            voucherId={voucher.id}
            error={error}
          />
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
            issue a VAT special invoice; finance may accept an ordinary one, with a reason.
          </p>
          <TextField
            id="waiver-reason"
            name="reason"
            label="原因 Reason"
            required
            minLength={3}
            maxLength={500}
            errors={refusedAt === 'waiver' ? issuesAt(error, 'reason') : []}
          />
          <Buttons>
            <Button kind="secondary">接受普通发票 Accept an ordinary invoice</Button>
          </Buttons>
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
          <SelectField
            name="type"
            label="发票类型 Type"
            options={(['VAT_SPECIAL', 'VAT_ORDINARY'] as const).map((type) => ({
              value: type,
              label: labelText(INVOICE_TYPE_LABELS[type]),
            }))}
            errors={invoiceErrors('type')}
          />
          <TextField
            name="number"
            label="发票号码 Number"
            hint="20 位全电发票号码，或 8 位号码加发票代码。20 digits, or 8 with a code."
            required
            inputMode="numeric"
            maxLength={32}
            errors={invoiceErrors('number')}
          />
          <TextField
            name="code"
            label="发票代码 Code"
            hint="仅旧版发票 Older invoices only"
            inputMode="numeric"
            maxLength={16}
            errors={invoiceErrors('code')}
          />
          <TextField
            name="issuedOn"
            type="date"
            label="开票日期 Issued on"
            max={props.today}
            required
            errors={invoiceErrors('issuedOn')}
          />
          <TextField
            name="amount"
            label="价税合计（元）Amount (yuan)"
            required
            inputMode="decimal"
            errors={invoiceErrors('amount')}
          />
          <TextField
            name="taxAmount"
            label="税额（元）Tax (yuan)"
            required
            inputMode="decimal"
            errors={invoiceErrors('taxAmount')}
          />
          <TextField
            name="invoiceFile"
            type="file"
            label="发票文件 Copy of the invoice"
            hint="可选：PDF、OFD、XML 或图片。Optional: PDF, OFD, XML or an image."
            accept=".pdf,.ofd,.xml,image/png,image/jpeg,application/pdf,application/ofd,application/xml,text/xml"
            errors={invoiceErrors('invoiceFile', 'file', 'contentType', 'size')}
          />
          <Buttons>
            <Button>登记并关闭 Record and close</Button>
          </Buttons>
        </form>
      )}
    </>
  );
}
