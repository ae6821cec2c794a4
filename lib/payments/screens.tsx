/**
 * The cashier's day and the invoice chase as screens (POLICY 2.1(3), 2.2(3), D3–D6, D9), in the UI kit
 * (lib/ui): the run of a day with its forms and its bank files, a bank file's payments form, the
 * payments still missing their invoice, and the payment part of the voucher page (given to
 * lib/vouchers' page as a section). No JavaScript: every action is a form POST answered with a redirect
 * to the page it returns to, whose banner confirms what was done (outcomes.ts) — or with the page again
 * and the refusal — so a reload never sends a payment twice, and the use case would answer it anyway.
 */
import type { ComponentChildren } from 'preact';
import { hasRole } from '../domain/access.ts';
import type { LocalDate, Person } from '../domain/model.ts';
import { Badge, FlagBadge, PaymentStatusBadge, StatusBadge } from '../ui/badges.tsx';
import {
  Banner,
  Button,
  Buttons,
  Checkbox,
  ErrorSummary,
  type FormError,
  issuesAt,
  SelectField,
  TextField,
} from '../ui/controls.tsx';
import { plainMessage, shanghaiTime, yuan } from '../ui/format.ts';
import { errorLabel, INVOICE_TYPE_LABELS, labelText } from '../ui/labels.ts';
import { Layout } from '../ui/layout.tsx';
import { CardTable } from '../ui/table.tsx';
import { fileHref } from '../uploads/file-links.ts';
import type { VoucherView } from '../vouchers/voucher-view.ts';
import type { BankFileView } from './bank-files.ts';
import { type Confirmation, voucherConfirmation, voucherOutcomeOf } from './outcomes.ts';
import type { PaymentRunItem, PaymentRunView } from './payment-run.ts';

/** The voucher page's forms (PaymentSection), so a refusal is shown at the form it answers. */
export type VoucherForm = 'supplier-invoice' | 'waiver' | 'retry' | 'return';

export interface PageError extends FormError {
  /** The voucher the refused form was about. */
  voucherId?: string | undefined;
  /** Which of the voucher page's forms was refused (unknown: a form sent with no valid action). */
  form?: VoucherForm | undefined;
  /** Which of the run page's forms of that voucher was refused (`paid`, `failed`, `pull`, …). */
  action?: string | undefined;
  /** What was typed into the refused form, shown in it again. */
  values?: Readonly<Record<string, string>> | undefined;
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

/** The refusal's issues at one form of this voucher (the run page has one form set per voucher). */
const errorsOf = (error: PageError | undefined, voucherId: string, action: string, path: string) =>
  error?.voucherId === voucherId && (error.action === undefined || error.action === action)
    ? issuesAt(error, path)
    : [];

/** What was typed into the refused form of this voucher, for one of its fields. */
const typedIn = (error: PageError | undefined, voucherId: string, action: string, field: string) =>
  error?.voucherId === voucherId && error.action === action ? error.values?.[field] : undefined;

/** The banner that confirms what a form just did (outcomes.ts): its words come from the record. */
export function ConfirmationBanner({ confirmation }: { confirmation: Confirmation }) {
  return (
    <Banner kind="success" role="status" class="confirmation" title={confirmation.title}>
      {confirmation.lines.map((line) => (
        <p>{line}</p>
      ))}
      {confirmation.links && (
        <p class="links">
          {confirmation.links.map((link) => (
            <a class="btn btn-secondary" href={link.href}>
              {link.label}
            </a>
          ))}
        </p>
      )}
    </Banner>
  );
}

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
          aria-label={`${FAILED_PAYMENT_BUTTONS[kind]} ${props.voucherId}`}
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
            value={
              props.onRunPage
                ? typedIn(props.error, props.voucherId, kind, 'reason')
                : props.error?.form === kind
                  ? props.error.values?.reason
                  : undefined
            }
            errors={
              props.onRunPage
                ? errorsOf(props.error, props.voucherId, kind, 'reason')
                : props.error?.form === kind
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
  const id = item.voucherId;
  if (item.status === 'DUE' && item.dueDate <= today && item.mayPay) {
    const failedErrors = errorsOf(error, id, 'failed', 'reason');
    return (
      <>
        <form
          method="post"
          enctype="multipart/form-data"
          action={action}
          class="pay"
          aria-label={`付款 Pay ${id}`}
        >
          <input type="hidden" name="voucherId" value={id} />
          <input type="hidden" name="action" value="paid" />
          <TextField
            id={`ref-${id}`}
            name="bankReference"
            label="银行流水号 Bank reference"
            required
            maxLength={64}
            value={typedIn(error, id, 'paid', 'bankReference')}
            errors={errorsOf(error, id, 'paid', 'bankReference')}
          />
          <TextField
            id={`on-${id}`}
            name="paidOn"
            type="date"
            label="付款日期 Paid on"
            value={typedIn(error, id, 'paid', 'paidOn') ?? today}
            max={today}
            required
            errors={errorsOf(error, id, 'paid', 'paidOn')}
          />
          <Buttons>
            <Button>已付款 Mark paid</Button>
          </Buttons>
        </form>
        {/* Rarely needed, so folded away (no script: the browser's own disclosure). */}
        <details class="more" open={failedErrors.length > 0}>
          <summary>付款失败？Payment failed?</summary>
          <form
            method="post"
            enctype="multipart/form-data"
            action={action}
            aria-label={`付款失败 Failed ${id}`}
          >
            <input type="hidden" name="voucherId" value={id} />
            <input type="hidden" name="action" value="failed" />
            <TextField
              id={`why-${id}`}
              name="reason"
              label="失败原因 Why it failed"
              required
              minLength={3}
              maxLength={500}
              value={typedIn(error, id, 'failed', 'reason')}
              errors={failedErrors}
            />
            <Buttons>
              <Button kind="danger">付款失败 Payment failed</Button>
            </Buttons>
          </form>
        </details>
      </>
    );
  }
  if (item.status === 'DUE' && item.dueDate > today && (cashier || finance)) {
    return (
      <form method="post" enctype="multipart/form-data" action={action} aria-label={`拉入今日 Pull ${id}`}>
        <input type="hidden" name="voucherId" value={id} />
        <input type="hidden" name="action" value="pull" />
        <TextField
          id={`pull-${id}`}
          name="reason"
          label="原因 Reason"
          hint="为什么今天就要付 Why it must be paid today"
          required
          minLength={3}
          maxLength={500}
          value={typedIn(error, id, 'pull', 'reason')}
          errors={errorsOf(error, id, 'pull', 'reason')}
        />
        <Buttons>
          <Button>拉入今日批次 Pull into today’s run</Button>
        </Buttons>
      </form>
    );
  }
  if (item.status === 'PAYMENT_FAILED' && item.voucherStatus === 'PAYMENT_FAILED' && finance) {
    return <FailedPaymentForms action={action} voucherId={id} onRunPage error={error} />;
  }
  return null;
}

/** The voucher: its short number (when it has one) above its id, the goods below. */
function VoucherCell({ item }: { item: Pick<PaymentRunItem, 'voucherId' | 'number' | 'goods'> }) {
  return (
    <>
      {item.number && (
        <>
          <strong class="voucher-number">{item.number}</strong>
          <br />
        </>
      )}
      <a href={`/vouchers/${item.voucherId}`} class={item.number ? 'voucher-id' : undefined}>
        {item.voucherId}
      </a>
      <br />
      <small>{item.goods}</small>
    </>
  );
}

function PayeeCell({ item }: { item: Pick<PaymentRunItem, 'payee'> }) {
  return (
    <>
      {item.payee.name}
      <br />
      <span class="account">{item.payee.account}</span>
      <br />
      <small>{item.payee.bank}</small>
    </>
  );
}

/**
 * A run item's place in the run and everything the cashier must see before paying. `inFile`: shown
 * on the page of the bank file it is in (which need not say so again).
 */
function RunStatus({ item, inFile }: { item: PaymentRunItem; inFile?: boolean }) {
  const file = item.exported;
  return (
    <>
      <PaymentStatusBadge status={item.status} />
      {item.overdue && <Badge kind="flag">逾期 Overdue since {item.dueDate}</Badge>}
      {file && item.status === 'DUE' && !inFile && (
        <span class="note">
          {file.run ? (
            <a href={`/payment-runs/${file.run}/bank-batch/${file.batch}`}>已导出 In a bank file</a>
          ) : (
            '已导出 In a bank file'
          )}{' '}
          {shanghaiTime(file.at)} · {file.by}
          <br />
          先查银行 check the bank first
        </span>
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
      {item.pendingSupplierChange && (
        <span class="note">
          <Badge kind="flag">
            {item.pendingSupplierChange.paysProposed
              ? '付往待审核的新账号 Pays the new account still under review'
              : '供应商资料变更待审核 Supplier details change under review'}
          </Badge>
          <br />
          新账号 New account {item.pendingSupplierChange.proposedAccount} ·{' '}
          {item.pendingSupplierChange.openedBy}
        </span>
      )}
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
  );
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
      class="run"
      rows={props.items}
      rowAttributes={(item) => ({ 'data-voucher': item.voucherId })}
      columns={[
        { label: '凭单 Voucher', class: 'voucher', cell: (item) => <VoucherCell item={item} /> },
        { label: '收款人 Payee', class: 'payee', cell: (item) => <PayeeCell item={item} /> },
        { label: '金额 Amount', class: 'amount', cell: (item) => yuan(item.amountFen) },
        { label: '状态 Status', class: 'status', cell: (item) => <RunStatus item={item} /> },
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

/** `3 笔 · ¥12,500.50`. */
const counted = (tally: { count: number; totalFen: number }) => `${tally.count} 笔 · ${yuan(tally.totalFen)}`;

/** The run's lines: what is to pay (and overdue among it), paid, failed, and the whole run. */
function RunSummary({ run }: { run: PaymentRunView }) {
  return (
    <dl class="summary">
      <dt>待付 To pay</dt>
      <dd class="amount" data-testid="due-total">
        {counted(run.due)}
      </dd>
      <dt>其中逾期 Overdue among them</dt>
      <dd class={`amount${run.overdue.count > 0 ? ' attention' : ''}`} data-testid="overdue-total">
        {counted(run.overdue)}
      </dd>
      <dt>已付 Paid</dt>
      <dd class="amount" data-testid="paid-total">
        {counted(run.paid)}
      </dd>
      <dt>付款失败 Failed</dt>
      <dd class={`amount${run.failed.count > 0 ? ' attention' : ''}`} data-testid="failed-total">
        {counted(run.failed)}
      </dd>
      <dt>合计 Run total</dt>
      <dd class="amount" data-testid="run-total">
        {counted({ count: run.items.length, totalFen: run.totalFen })}
      </dd>
    </dl>
  );
}

/** The files exported from this run: download one again, or record its payments. */
function BankFiles({ run }: { run: PaymentRunView }) {
  if (run.bankFiles.length === 0) return null;
  return (
    <section class="card" data-testid="bank-files" aria-label="银行文件 Bank files">
      <h2>本批次的银行文件 Bank files of this run</h2>
      <ul class="files">
        {run.bankFiles.map((file) => {
          const base = `/payment-runs/${run.date}/bank-batch/${file.id}`;
          return (
            <li data-bank-file={file.id}>
              <strong>{file.fileName}</strong>
              <br />
              <small>
                {shanghaiTime(file.at)} · {file.by} · {counted(file)}
              </small>
              <br />
              <a href={base}>登记银行流水号 Record the bank references</a> ·{' '}
              <a href={`${base}/file`}>再次下载 Download again</a>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

export function PaymentRunPage(props: {
  person: Person;
  run: PaymentRunView;
  today: LocalDate;
  error?: PageError | undefined;
  confirmation?: Confirmation | null | undefined;
}) {
  const { run, person, error } = props;
  const canExport = hasRole(person, 'CASHIER', 'FINANCE_REVIEWER');
  const notExported = run.items.filter((item) => item.status === 'DUE' && !item.exported).length;
  return (
    <Layout title={`付款批次 Payment run ${run.date}`} person={person} wide>
      <h1>
        付款批次 Payment run <small>{run.date}</small>
      </h1>
      {props.confirmation && <ConfirmationBanner confirmation={props.confirmation} />}
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
        <RunSummary run={run} />
        {canExport && run.due.count > 0 && run.date <= props.today && (
          <form
            method="post"
            enctype="multipart/form-data"
            action={`/payment-runs/${run.date}/bank-batch`}
            class="export"
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
      <BankFiles run={run} />
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

/** What one row of a bank file's form came to, after it was sent. */
export type BankFileRowOutcome =
  | { result: 'PAID' | 'UNCHANGED' }
  | { result: 'REFUSED'; error: FormError }
  /** Not sent this time (left empty). */
  | { result: 'NOT_SENT' };

/** A refused bank-file form (a shape error: nothing recorded) or the outcome of each row sent. */
export interface BankFileFormState {
  /** What was typed, by field name (`ref-<voucherId>`, `on-<voucherId>`). */
  values: Readonly<Record<string, string>>;
  error?: FormError | undefined;
  /** Each field's own issues, by field name. */
  fieldErrors?: Readonly<Record<string, string[]>> | undefined;
  rows?: ReadonlyMap<string, BankFileRowOutcome> | undefined;
}

const ROW_RESULT: Record<'PAID' | 'UNCHANGED', string> = {
  PAID: '已登记 Recorded now',
  UNCHANGED: '早已登记，未重复 Recorded before; nothing done twice',
};

/** The bank file's vouchers, one bank reference per transfer: what the bank paid, recorded at once. */
export function BankFilePage(props: {
  person: Person;
  file: BankFileView;
  today: LocalDate;
  state?: BankFileFormState | undefined;
  recorded?: boolean;
}) {
  const { file, person, state, today } = props;
  const cashier = hasRole(person, 'CASHIER');
  const open = file.items.filter((item) => item.status === 'DUE' && item.mayPay && item.dueDate <= today);
  const base = `/payment-runs/${file.day}/bank-batch/${file.id}`;
  const rows = state?.rows;
  const sent = rows ? [...rows.values()].filter((row) => row.result !== 'NOT_SENT') : [];
  const refused = sent.filter((row) => row.result === 'REFUSED').length;
  const before = sent.filter((row) => row.result === 'UNCHANGED').length;
  const now = sent.length - refused - before;
  const field = (name: string) => state?.fieldErrors?.[name] ?? [];
  return (
    <Layout title={`银行文件 Bank file ${file.fileName}`} person={person} wide>
      <h1>
        银行文件 Bank file <small>{file.fileName}</small>
      </h1>
      <p>
        <a href={`/payment-runs/${file.day}`}>
          ← 返回 {file.day} 付款批次 Back to the run of {file.day}
        </a>
      </p>
      {props.recorded && (
        <ConfirmationBanner
          confirmation={{
            title: '已登记付款 Payments recorded',
            lines: [
              `此文件 ${file.count} 笔中已付 ${counted(file.paid)}，待付 ${counted(file.due)}。Of its ${file.count} transfers: paid ${counted(file.paid)}; still to pay ${counted(file.due)}.`,
            ],
          }}
        />
      )}
      {rows && refused > 0 && (
        <Banner kind="warning" role="alert" class="partial" title="部分登记 Partly recorded">
          <p>
            {`本次登记 ${now} 笔，此前已登记 ${before} 笔，${refused} 笔未登记（见下方标出的行，改正后再提交；已登记的不会重复）。${now} recorded now, ${before} recorded before, ${refused} not — see the rows marked below; correct them and send again (nothing is recorded twice).`}
          </p>
        </Banner>
      )}
      {state?.error && (
        <ErrorSummary
          title="未登记 Nothing recorded"
          error={state.error}
          labels={Object.fromEntries(
            file.items.flatMap((item) => {
              const name = item.number ?? item.voucherId;
              return [
                [`ref-${item.voucherId}`, `${name} 银行流水号 Bank reference`],
                [`on-${item.voucherId}`, `${name} 付款日期 Paid on`],
              ];
            }),
          )}
        />
      )}
      <div class="card">
        <dl class="summary">
          <dt>付款批次 Run</dt>
          <dd>{file.day}</dd>
          <dt>导出 Exported</dt>
          <dd>
            {shanghaiTime(file.at)} · {file.by}
          </dd>
          <dt>笔数 Transfers</dt>
          <dd class="amount" data-testid="file-total">
            {counted(file)}
          </dd>
          <dt>已付 Paid</dt>
          <dd class="amount" data-testid="file-paid">
            {counted(file.paid)}
          </dd>
          <dt>待付 To pay</dt>
          <dd class="amount" data-testid="file-due">
            {counted(file.due)}
          </dd>
          <dt>付款失败 Failed</dt>
          <dd class="amount">{counted(file.failed)}</dd>
        </dl>
        <p>
          <a href={`${base}/file`}>再次下载此文件 Download this file again</a>
        </p>
      </div>
      <form
        method="post"
        enctype="multipart/form-data"
        action={base}
        aria-label="登记银行流水号 Bank references"
      >
        <p class="muted">
          按银行回单填写每笔的银行流水号；留空的行不登记。Enter each transfer’s reference from the bank’s
          answer; rows left empty are not recorded.
        </p>
        <CardTable
          class="run"
          rows={file.items}
          rowAttributes={(item) => ({ 'data-voucher': item.voucherId })}
          columns={[
            { label: '凭单 Voucher', class: 'voucher', cell: (item) => <VoucherCell item={item} /> },
            { label: '收款人 Payee', class: 'payee', cell: (item) => <PayeeCell item={item} /> },
            { label: '金额 Amount', class: 'amount', cell: (item) => yuan(item.amountFen) },
            {
              label: '状态 Status',
              class: 'status',
              cell: (item) => (
                <>
                  <RunStatus item={item} inFile />
                  {!item.inThisFile && <Badge kind="flag">导出后已修改 Edited since this file</Badge>}
                  <RowOutcome outcome={rows?.get(item.voucherId)} />
                </>
              ),
            },
            {
              label: '登记 Record',
              class: 'actions',
              cell: (item) =>
                cashier && open.includes(item) ? (
                  <div class="pay">
                    <TextField
                      id={`ref-${item.voucherId}`}
                      name={`ref-${item.voucherId}`}
                      label="银行流水号 Bank reference"
                      maxLength={64}
                      value={state?.values[`ref-${item.voucherId}`]}
                      errors={field(`ref-${item.voucherId}`)}
                    />
                    <TextField
                      id={`on-${item.voucherId}`}
                      name={`on-${item.voucherId}`}
                      type="date"
                      label="付款日期 Paid on"
                      max={today}
                      value={state?.values[`on-${item.voucherId}`] ?? today}
                      errors={field(`on-${item.voucherId}`)}
                    />
                  </div>
                ) : null,
            },
          ]}
        />
        {cashier && open.length > 0 ? (
          <Buttons>
            <Button>登记这些付款 Record these payments</Button>
          </Buttons>
        ) : (
          <p class="card">
            {cashier
              ? '此文件没有待登记的付款。Nothing in this file is waiting to be recorded.'
              : '由出纳登记付款。The cashier records the payments.'}
          </p>
        )}
      </form>
    </Layout>
  );
}

/** A sent row's outcome beside it: recorded, recorded before, or why not. */
function RowOutcome({ outcome }: { outcome: BankFileRowOutcome | undefined }): ComponentChildren {
  if (!outcome || outcome.result === 'NOT_SENT') return null;
  if (outcome.result === 'REFUSED') {
    const { error } = outcome;
    return (
      <span class="field-error row-refused">
        未登记 Not recorded: {labelText(errorLabel(error.code ?? '', error.statusCode ?? 422))} —{' '}
        {plainMessage(error.message)}
      </span>
    );
  }
  return <span class="row-done">{ROW_RESULT[outcome.result]}</span>;
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
  confirmAmountDifference: '金额不同 Amount differs',
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
  /** The page's query: `done=…` names what a form of this section just did (outcomes.ts). */
  query?: Readonly<Record<string, unknown>> | undefined;
}) {
  const { voucher, person, error } = props;
  const outcome = voucherOutcomeOf(props.query ?? {});
  const confirmation = outcome && !error ? voucherConfirmation(voucher, outcome) : null;
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
  // What was typed into the refused invoice form, kept in it.
  const invoiceValue = (field: string) =>
    refusedAt === 'supplier-invoice' ? error?.values?.[field] : undefined;
  // D9: an invoice for another amount than was paid is a warning the applicant confirms, not an error.
  const differs = invoiceErrors('confirmAmountDifference');
  const onlyDiffers =
    refusedAt === 'supplier-invoice' && error?.code === 'INVOICE_AMOUNT_DIFFERS' && differs.length > 0;
  if (!payment) return refusedAt ? summary('未保存 Not saved', REASON_LABELS) : null;
  return (
    <>
      {confirmation && <ConfirmationBanner confirmation={confirmation} />}
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
            value={refusedAt === 'waiver' ? error?.values?.reason : undefined}
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
          {refusedAt === 'supplier-invoice' &&
            !onlyDiffers &&
            summary('未登记 Not recorded', INVOICE_FIELD_LABELS)}
          <SelectField
            name="type"
            label="发票类型 Type"
            value={invoiceValue('type')}
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
            value={invoiceValue('number')}
            errors={invoiceErrors('number')}
          />
          <TextField
            name="code"
            label="发票代码 Code"
            hint="仅旧版发票 Older invoices only"
            inputMode="numeric"
            maxLength={16}
            value={invoiceValue('code')}
            errors={invoiceErrors('code')}
          />
          <TextField
            name="issuedOn"
            type="date"
            label="开票日期 Issued on"
            max={props.today}
            required
            value={invoiceValue('issuedOn')}
            errors={invoiceErrors('issuedOn')}
          />
          <TextField
            name="amount"
            label="价税合计（元）Amount (yuan)"
            hint={`已付 Paid ${yuan(voucher.amountFen)}`}
            required
            inputMode="decimal"
            value={invoiceValue('amount')}
            errors={invoiceErrors('amount')}
          />
          {differs.length > 0 && (
            <Banner
              kind="warning"
              role="alert"
              class="amount-differs"
              title="发票金额与付款金额不同 The invoice amount differs from the payment"
            >
              <p>{differs.join(' ')}</p>
              <Checkbox
                id="confirmAmountDifference"
                name="confirmAmountDifference"
                value="yes"
                checked={invoiceValue('confirmAmountDifference') === 'yes'}
                label="我确认发票金额与付款金额不同，金额无误 I confirm the invoice amount differs from the payment, and it is right"
              />
              <p class="muted">
                确认后登记，财务会在凭单上看到此提示。Once confirmed it is recorded, and finance sees it
                flagged on the voucher.
              </p>
            </Banner>
          )}
          <TextField
            name="taxAmount"
            label="税额（元）Tax (yuan)"
            required
            inputMode="decimal"
            value={invoiceValue('taxAmount')}
            errors={invoiceErrors('taxAmount')}
          />
          <TextField
            name="invoiceFile"
            type="file"
            label="发票文件 Copy of the invoice"
            hint={
              refusedAt === 'supplier-invoice'
                ? '可选：PDF、OFD、XML 或图片；如需附上，请重新选择文件。Optional: PDF, OFD, XML or an image — choose it again to send it.'
                : '可选：PDF、OFD、XML 或图片。Optional: PDF, OFD, XML or an image.'
            }
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
