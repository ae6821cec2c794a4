/**
 * The invoicing pages (POLICY 4; D12, D13): customer service's list and form, a request's page with
 * finance's issue and return and customer service's mailing, and a batch's page where finance does the
 * same line by line and uploads the tax bureau's result. Bilingual, no inline style, usable at 390 px
 * (tables become cards) and 1366 px.
 */
import type { InvoiceRequestStatus } from '../domain/invoice-request.ts';
import type { Person } from '../domain/model.ts';
import { Badge } from '../ui/badges.tsx';
import {
  Banner,
  Button,
  Buttons,
  ErrorSummary,
  type FormError,
  issuesAt,
  SelectField,
  TextArea,
  TextField,
} from '../ui/controls.tsx';
import { yuan } from '../ui/format.ts';
import { IssuedInvoiceFields, ReasonField } from '../ui/invoice-fields.tsx';
import {
  eventLabel,
  INVOICE_BATCH_STATUS_LABELS,
  INVOICE_REQUEST_STATUS_LABELS,
  INVOICE_TYPE_LABELS,
  INVOICE_WARNING_LABELS,
  labelText,
  RED_LETTER_REASON_LABELS,
  RED_LETTER_STATUS_LABELS,
  RED_LETTER_TRIGGER_LABELS,
} from '../ui/labels.ts';
import { Layout } from '../ui/layout.tsx';
import { CardTable } from '../ui/table.tsx';
import type { InvoiceRequestView } from './view.ts';

const STATUS_ORDER: readonly InvoiceRequestStatus[] = [
  'QUEUED',
  'WAITING_FOR_ORDER',
  'WITH_FINANCE',
  'RETURNED',
  'ISSUED',
  'DELIVERED',
  'REVERSED',
];

const statusText = (status: InvoiceRequestStatus) => labelText(INVOICE_REQUEST_STATUS_LABELS[status]);

export function InvoiceRequestsPage(props: {
  person: Person;
  status: InvoiceRequestStatus;
  /** Issue 13 §4: finance's list of requests flagged for a red invoice instead of a status. */
  flagged?: boolean;
  requests: InvoiceRequestView[];
  mayRecord: boolean;
  nextPage?: string | undefined;
}) {
  return (
    <Layout title="开票申请 Invoice requests" person={props.person}>
      <h1>开票申请 Invoice requests</h1>
      {props.mayRecord && (
        <p>
          <a class="btn btn-primary" href="/invoice-requests/new">
            登记开票申请 Record a request
          </a>
        </p>
      )}
      <nav aria-label="状态 Status">
        <p>
          {STATUS_ORDER.map((status, index) => (
            <>
              {index > 0 && ' · '}
              {status === props.status && !props.flagged ? (
                <strong>{statusText(status)}</strong>
              ) : (
                <a href={`/invoice-requests?status=${status}`}>{statusText(status)}</a>
              )}
            </>
          ))}
          {' · '}
          {props.flagged ? (
            <strong>{labelText(RED_LETTER_STATUS_LABELS.FLAGGED)}</strong>
          ) : (
            <a href="/invoice-requests?flag=RED_LETTER">{labelText(RED_LETTER_STATUS_LABELS.FLAGGED)}</a>
          )}
        </p>
      </nav>
      {props.requests.length === 0 ? (
        <p class="card">这里没有申请。Nothing here.</p>
      ) : (
        <CardTable
          rows={props.requests}
          rowAttributes={(request) => ({ 'data-request': request.id })}
          columns={[
            {
              label: '申请号 Number',
              cell: (request) => <a href={`/invoice-requests/${request.id}`}>{request.number}</a>,
            },
            { label: '购买方 Buyer', cell: (request) => request.buyer.name },
            { label: '发票 Kind', cell: (request) => labelText(INVOICE_TYPE_LABELS[request.kind]) },
            { label: '批次 Batch', cell: (request) => request.batchDate ?? '—' },
            { label: '金额 Amount', class: 'amount', cell: (request) => yuan(request.amountFen) },
          ]}
        />
      )}
      {props.nextPage && (
        <p>
          <a href={props.nextPage} rel="next">
            下一页 Next page
          </a>
        </p>
      )}
    </Layout>
  );
}

export interface RequestFormValues {
  idempotencyKey: string;
  orderIds: string;
  kind: string;
  buyerType: string;
  buyerName: string;
  buyerTaxId: string;
  buyerAddress: string;
  buyerPhone: string;
  buyerBank: string;
  buyerAccount: string;
  buyerEmail: string;
  deliveryMethod: string;
  deliveryEmail: string;
  recipient: string;
  recipientPhone: string;
  recipientAddress: string;
  note: string;
}

export function NewInvoiceRequestPage(props: {
  person: Person;
  values: RequestFormValues;
  error?: FormError;
}) {
  const { values, error } = props;
  const at = (...paths: string[]) => issuesAt(error, ...paths);
  return (
    <Layout title="登记开票申请 Record an invoice request" person={props.person}>
      <h1>登记开票申请 Record an invoice request</h1>
      {error && <ErrorSummary error={error} />}
      <form method="post" action="/invoice-requests/new" class="card">
        <input type="hidden" name="idempotencyKey" value={values.idempotencyKey} />
        <TextField
          name="orderIds"
          label="订单号 Orders"
          hint="多个订单用逗号分隔 Separate orders with commas"
          value={values.orderIds}
          required
          errors={at('orderIds')}
        />
        <SelectField
          name="kind"
          label="发票类型 Kind of invoice"
          value={values.kind}
          options={[
            { value: 'VAT_ORDINARY', label: labelText(INVOICE_TYPE_LABELS.VAT_ORDINARY) },
            { value: 'VAT_SPECIAL', label: labelText(INVOICE_TYPE_LABELS.VAT_SPECIAL) },
          ]}
          errors={at('kind')}
        />
        <SelectField
          name="buyerType"
          label="购买方 Buyer is"
          value={values.buyerType}
          options={[
            { value: 'COMPANY', label: '单位 A company' },
            { value: 'INDIVIDUAL', label: '个人 A person' },
          ]}
          errors={at('buyer.type')}
        />
        <TextField
          name="buyerName"
          label="名称 Name"
          value={values.buyerName}
          required
          errors={at('buyer.name')}
        />
        <TextField
          name="buyerTaxId"
          label="纳税人识别号 Tax id"
          hint="单位必填，个人不填 Required for a company, none for a person"
          value={values.buyerTaxId}
          errors={at('buyer.taxId')}
        />
        <TextField
          name="buyerAddress"
          label="地址 Address"
          hint="专票必填 Required for a special invoice"
          value={values.buyerAddress}
          errors={at('buyer.address')}
        />
        <TextField
          name="buyerPhone"
          label="电话 Phone"
          hint="专票必填 Required for a special invoice"
          value={values.buyerPhone}
          errors={at('buyer.phone')}
        />
        <TextField
          name="buyerBank"
          label="开户银行 Bank"
          hint="专票必填 Required for a special invoice"
          value={values.buyerBank}
          errors={at('buyer.bank')}
        />
        <TextField
          name="buyerAccount"
          label="银行账号 Account"
          hint="专票必填 Required for a special invoice"
          value={values.buyerAccount}
          errors={at('buyer.account')}
        />
        <SelectField
          name="deliveryMethod"
          label="交付方式 Delivery"
          value={values.deliveryMethod}
          options={[
            { value: 'EMAIL', label: '电子邮件 By email' },
            { value: 'POST', label: '邮寄 By post' },
          ]}
          errors={at('delivery.method')}
        />
        <TextField
          name="deliveryEmail"
          type="email"
          label="接收邮箱 Email"
          hint="电子邮件交付时填 For delivery by email"
          value={values.deliveryEmail}
          errors={at('delivery.email')}
        />
        <TextField
          name="recipient"
          label="收件人 Recipient"
          hint="邮寄时填 For delivery by post"
          value={values.recipient}
          errors={at('delivery.recipient')}
        />
        <TextField
          name="recipientPhone"
          label="收件人电话 Recipient’s phone"
          value={values.recipientPhone}
          errors={at('delivery.phone')}
        />
        <TextField
          name="recipientAddress"
          label="邮寄地址 Postal address"
          value={values.recipientAddress}
          errors={at('delivery.address')}
        />
        <TextArea name="note" label="备注 Note" value={values.note} maxLength={200} errors={at('note')} />
        <Buttons>
          <Button kind="primary">登记 Record</Button>
        </Buttons>
      </form>
    </Layout>
  );
}

export function InvoiceRequestPage(props: {
  person: Person;
  request: InvoiceRequestView;
  history: { at: string; type: string }[];
  mayDecide: boolean;
  mayRecordDelivery: boolean;
  today: string;
  error?: FormError;
}) {
  const { request, error } = props;
  return (
    <Layout title={`开票申请 ${request.number}`} person={props.person}>
      <h1>开票申请 Invoice request {request.number}</h1>
      <p>
        <Badge>{statusText(request.status)}</Badge>
      </p>
      {error && <ErrorSummary error={error} />}
      {request.warnings.map((warning) => (
        <Banner kind="warning">{labelText(INVOICE_WARNING_LABELS[warning.code])}</Banner>
      ))}
      {request.returned && request.status === 'RETURNED' && (
        <Banner kind="warning">
          财务退回：{request.returned.reason} Returned by finance: {request.returned.reason}
        </Banner>
      )}
      {request.mailingOverdue && <Banner kind="error">寄送已逾期 The mailing is overdue</Banner>}
      {request.redLetter && <RedLetterSection request={request} />}
      <dl class="card">
        <dt>发票类型 Kind</dt>
        <dd>{labelText(INVOICE_TYPE_LABELS[request.kind])}</dd>
        <dt>购买方 Buyer</dt>
        <dd>{request.buyer.name}</dd>
        <dt>纳税人识别号 Tax id</dt>
        <dd>{request.buyer.taxId ?? '—'}</dd>
        <dt>批次 Batch</dt>
        <dd>{request.batchDate ?? '等待订单完成 Waiting for its order'}</dd>
        <dt>金额 Amount</dt>
        <dd>{yuan(request.amountFen)}</dd>
        <dt>订单 Orders</dt>
        <dd>{request.orderIds.join(', ')}</dd>
        {request.invoice && (
          <>
            <dt>发票号码 Invoice number</dt>
            <dd>{request.invoice.number}</dd>
            <dt>开票日期 Issued on</dt>
            <dd>{request.invoice.issuedOn}</dd>
            <dt>寄送期限 Mail by</dt>
            <dd>{request.invoice.mailingDueOn}</dd>
          </>
        )}
      </dl>
      {props.mayDecide && request.status === 'WITH_FINANCE' && (
        <>
          <form method="post" action={`/invoice-requests/${request.id}`} class="card">
            <input type="hidden" name="action" value="issue" />
            <h2>已开票 Issued</h2>
            <IssuedInvoiceFields today={props.today} errors={(field) => issuesAt(error, field)} />
            <Buttons>
              <Button kind="primary">登记发票 Record the invoice</Button>
            </Buttons>
          </form>
          <form method="post" action={`/invoice-requests/${request.id}`} class="card">
            <input type="hidden" name="action" value="return" />
            <h2>退回客服 Return to customer service</h2>
            <ReasonField errors={issuesAt(error, 'reason')} />
            <Buttons>
              <Button kind="danger">退回 Return</Button>
            </Buttons>
          </form>
        </>
      )}
      {props.mayDecide && request.redLetter?.status === 'FLAGGED' && (
        <RedLetterForms requestId={request.id} today={props.today} error={error} />
      )}
      {props.mayRecordDelivery && request.status === 'ISSUED' && (
        <form method="post" action={`/invoice-requests/${request.id}`} class="card">
          <input type="hidden" name="action" value="delivery" />
          <h2>登记寄送 Record the mailing</h2>
          <SelectField
            name="method"
            label="方式 How"
            value={request.delivery.method}
            options={[
              { value: 'EMAIL', label: '电子邮件 By email' },
              { value: 'POST', label: '邮寄 By post' },
            ]}
          />
          <TextField
            name="sentTo"
            type="email"
            label="发送至 Sent to"
            value={request.delivery.method === 'EMAIL' ? request.delivery.email : ''}
            errors={issuesAt(error, 'sentTo')}
          />
          <TextField name="courier" label="快递公司 Courier" errors={issuesAt(error, 'courier')} />
          <TextField
            name="trackingNumber"
            label="快递单号 Tracking number"
            errors={issuesAt(error, 'trackingNumber')}
          />
          <TextField
            name="sentOn"
            type="date"
            label="寄出日期 Sent on"
            value={props.today}
            required
            errors={issuesAt(error, 'sentOn')}
          />
          <Buttons>
            <Button kind="primary">登记 Record</Button>
          </Buttons>
        </form>
      )}
      <h2>记录 History</h2>
      <ul class="card">
        {props.history.map((event) => (
          <li>
            {event.at.slice(0, 16).replace('T', ' ')} {labelText(eventLabel(event.type))}
          </li>
        ))}
      </ul>
    </Layout>
  );
}

/** What the batch page shows: `invoiceBatch` (lib/invoicing/batches.ts) as it answers the API. */
export interface InvoiceBatchPageView {
  batchDate: string;
  closesAt: string;
  status: 'OPEN' | 'WITH_FINANCE' | 'ISSUED' | 'DONE';
  sentAt: string | null;
  dueBy: string;
  requests: InvoiceRequestView[];
  totals: { count: number; amountFen: number };
  late: { finance: boolean; mailing: string[] };
}

/** The batch page's forms: finance's issue or return of one line, and the tax bureau's result file. */
export type BatchAction = 'issue' | 'return' | 'result';

/** A refusal on the batch page: which line's form (or the upload) it answers, and what was typed. */
export interface BatchPageError extends FormError {
  requestId?: string | undefined;
  action?: BatchAction | undefined;
  values?: Readonly<Record<string, string>> | undefined;
}

/** What a batch page form just did, in the words the page confirms it with (read back from the record). */
export interface BatchConfirmation {
  title: string;
  lines: string[];
}

const batchErrorsAt = (
  error: BatchPageError | undefined,
  requestId: string | undefined,
  action: BatchAction,
  path: string,
) => (error?.requestId === requestId && error?.action === action ? issuesAt(error, path) : []);

const batchTypedIn = (error: BatchPageError | undefined, requestId: string, action: BatchAction) =>
  error?.requestId === requestId && error.action === action ? error.values : undefined;

/**
 * An invoice batch (D12, D13): its status, due date and what is late, its totals and its lines. Finance
 * issues or returns each line waiting for it in place (the same use cases and form reader as the
 * request's page) and records the tax bureau's result file for the whole batch; each line still opens
 * its request's page, where customer service records the mailing. Once it has gone to finance, the
 * 《开票申请表》 to download.
 */
export function InvoiceBatchPage(props: {
  person: Person;
  batch: InvoiceBatchPageView;
  mayDownload: boolean;
  /** Finance (FINANCE_ROLES): the inline forms. */
  mayDecide: boolean;
  today: string;
  error?: BatchPageError | undefined;
  confirmation?: BatchConfirmation | undefined;
}) {
  const { batch, error } = props;
  const lateMailing = new Set(batch.late.mailing);
  const action = `/invoice-batches/${batch.batchDate}`;
  const deciding = props.mayDecide && batch.requests.some((request) => request.status === 'WITH_FINANCE');
  return (
    <Layout title={`开票批次 ${batch.batchDate}`} person={props.person}>
      <h1>开票批次 Invoice batch {batch.batchDate}</h1>
      <p>
        <Badge>{labelText(INVOICE_BATCH_STATUS_LABELS[batch.status])}</Badge>
      </p>
      {props.confirmation && (
        <Banner kind="success" role="status" class="confirmation" title={props.confirmation.title}>
          {props.confirmation.lines.map((line) => (
            <p>{line}</p>
          ))}
        </Banner>
      )}
      {error && <ErrorSummary error={error} labels={BATCH_FIELD_LABELS} />}
      {batch.late.finance && (
        <Banner kind="error">
          已过开票期限 {batch.dueBy}，仍有申请未开具或退回。Past the deadline of {batch.dueBy}: requests are
          still to be issued or returned.
        </Banner>
      )}
      {batch.late.mailing.length > 0 && (
        <Banner kind="error">
          {batch.late.mailing.length} 张发票寄送已逾期。{batch.late.mailing.length} invoices are overdue for
          mailing.
        </Banner>
      )}
      <dl class="card">
        <dt>截止 Closes</dt>
        <dd>{batch.closesAt.slice(0, 16).replace('T', ' ')}</dd>
        <dt>交财务 Sent to finance</dt>
        <dd>{batch.sentAt ? batch.sentAt.slice(0, 16).replace('T', ' ') : '尚未 Not yet'}</dd>
        <dt>开票期限 Issue by</dt>
        <dd>{batch.dueBy}</dd>
        <dt>申请 Requests</dt>
        <dd>{batch.totals.count}</dd>
        <dt>合计 Total</dt>
        <dd>{yuan(batch.totals.amountFen)}</dd>
      </dl>
      {props.mayDownload && batch.status !== 'OPEN' && (
        <p>
          <a class="btn" href={`/invoice-batches/${batch.batchDate}/application.xlsx`} download>
            下载《开票申请表》 Download the 《开票申请表》
          </a>
        </p>
      )}
      {deciding && (
        <form
          method="post"
          enctype="multipart/form-data"
          action={action}
          class="card"
          aria-label="上传开具结果 Upload the result"
        >
          <input type="hidden" name="action" value="result" />
          <h2>上传税务局开具结果 Upload the tax bureau’s result</h2>
          <TextField
            name="file"
            type="file"
            label="开具结果文件 Result file"
            hint="CSV 或 XLSX，含 发票流水号、发票号码、开票日期 三列 CSV or XLSX with the columns 发票流水号, 发票号码, 开票日期"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            required
            errors={batchErrorsAt(error, undefined, 'result', 'file')}
          />
          <Buttons>
            <Button kind="primary">登记整批发票 Record the batch’s invoices</Button>
          </Buttons>
        </form>
      )}
      {batch.requests.length === 0 ? (
        <p class="card">这个批次没有申请。No requests in this batch.</p>
      ) : (
        <CardTable
          class="batch"
          rows={batch.requests}
          rowAttributes={(request) => ({ 'data-request': request.id })}
          columns={[
            {
              label: '申请号 Number',
              cell: (request) => <a href={`/invoice-requests/${request.id}`}>{request.number}</a>,
            },
            { label: '购买方 Buyer', cell: (request) => request.buyer.name },
            { label: '发票 Kind', cell: (request) => labelText(INVOICE_TYPE_LABELS[request.kind]) },
            {
              label: '状态 Status',
              cell: (request) => (
                <>
                  {statusText(request.status)}
                  {lateMailing.has(request.id) && ' · 寄送逾期 mailing overdue'}
                </>
              ),
            },
            { label: '发票号码 Invoice', cell: (request) => request.invoice?.number ?? '—' },
            { label: '金额 Amount', class: 'amount', cell: (request) => yuan(request.amountFen) },
            ...(deciding
              ? [
                  {
                    label: '操作 Action',
                    class: 'actions',
                    cell: (request: InvoiceRequestView) =>
                      request.status === 'WITH_FINANCE' ? (
                        <LineForms request={request} action={action} today={props.today} error={error} />
                      ) : null,
                  },
                ]
              : []),
          ]}
        />
      )}
    </Layout>
  );
}

const BATCH_FIELD_LABELS: Record<string, string> = {
  invoiceNumber: '发票号码 Invoice number',
  issuedOn: '开票日期 Issued on',
  reason: '原因 Reason',
  file: '开具结果文件 Result file',
};

/** One line's two forms: issue it (the invoice as the request's page records it), or return it. */
function LineForms(props: {
  request: InvoiceRequestView;
  action: string;
  today: string;
  error: BatchPageError | undefined;
}) {
  const { request, error } = props;
  const id = request.id;
  const returnErrors = batchErrorsAt(error, id, 'return', 'reason');
  return (
    <>
      <form
        method="post"
        enctype="multipart/form-data"
        action={props.action}
        class="issue"
        aria-label={`开票 Issue ${request.number}`}
      >
        <input type="hidden" name="action" value="issue" />
        <input type="hidden" name="requestId" value={id} />
        <IssuedInvoiceFields
          today={props.today}
          idSuffix={id}
          values={batchTypedIn(error, id, 'issue')}
          errors={(field) => batchErrorsAt(error, id, 'issue', field)}
        />
        <Buttons>
          <Button kind="primary">登记发票 Record the invoice</Button>
        </Buttons>
      </form>
      {/* The rarer answer, folded away (no script: the browser's own disclosure). */}
      <details class="more" open={returnErrors.length > 0}>
        <summary>退回客服？Return to customer service?</summary>
        <form
          method="post"
          enctype="multipart/form-data"
          action={props.action}
          aria-label={`退回 Return ${request.number}`}
        >
          <input type="hidden" name="action" value="return" />
          <input type="hidden" name="requestId" value={id} />
          <ReasonField
            idSuffix={id}
            value={batchTypedIn(error, id, 'return')?.reason}
            errors={returnErrors}
          />
          <Buttons>
            <Button kind="danger">退回 Return</Button>
          </Buttons>
        </form>
      </details>
    </>
  );
}

/** Issue 13 §4: what happened to the invoiced orders, and what finance decided. */
function RedLetterSection(props: { request: InvoiceRequestView }) {
  const flag = props.request.redLetter;
  if (!flag) return null;
  return (
    <section class="card" data-red-letter={flag.status}>
      <h2>红冲 Red-letter reversal</h2>
      {flag.status === 'FLAGGED' && (
        <Banner kind="warning">
          订单已退款或有争议，请财务开具红字发票或说明不红冲的原因。An order was refunded or disputed: finance
          records the red invoice, or dismisses this with a reason.
        </Banner>
      )}
      <p>
        <Badge>{labelText(RED_LETTER_STATUS_LABELS[flag.status])}</Badge>
      </p>
      <ul>
        {flag.triggers.map((trigger) => (
          <li>
            {labelText(RED_LETTER_TRIGGER_LABELS[trigger.what])}: {trigger.orderId} ·{' '}
            {yuan(trigger.amountFen)}
          </li>
        ))}
      </ul>
      {flag.recorded && (
        <dl>
          <dt>红字确认单编号 Confirmation number</dt>
          <dd>{flag.recorded.confirmationNumber}</dd>
          <dt>冲红原因 Reason</dt>
          <dd>{labelText(RED_LETTER_REASON_LABELS[flag.recorded.reasonCode])}</dd>
          <dt>红字发票号码 Red invoice number</dt>
          <dd>{flag.recorded.redInvoiceNumber}</dd>
          <dt>开票日期 Issued on</dt>
          <dd>{flag.recorded.issuedOn}</dd>
        </dl>
      )}
      {flag.dismissed && <p>不红冲的原因 Dismissed because: {flag.dismissed.reason}</p>}
    </section>
  );
}

/** Issue 13 §4: finance's two forms while the flag is open. */
function RedLetterForms(props: { requestId: string; today: string; error: FormError | undefined }) {
  const { error } = props;
  return (
    <>
      <form method="post" action={`/invoice-requests/${props.requestId}`} class="card">
        <input type="hidden" name="action" value="red-letter" />
        <h2>登记红字发票 Record the red invoice</h2>
        <TextField
          name="confirmationNumber"
          label="红字确认单编号 Confirmation number"
          required
          errors={issuesAt(error, 'confirmationNumber')}
        />
        <SelectField
          name="reasonCode"
          label="冲红原因 Reason"
          value="02"
          options={(['01', '02', '03', '04'] as const).map((code) => ({
            value: code,
            label: labelText(RED_LETTER_REASON_LABELS[code]),
          }))}
        />
        <TextField
          name="redInvoiceNumber"
          label="红字发票号码 Red invoice number"
          hint="数电票 20 位数字 20 digits"
          inputMode="numeric"
          required
          errors={issuesAt(error, 'redInvoiceNumber')}
        />
        <TextField
          name="issuedOn"
          type="date"
          label="开票日期 Issued on"
          value={props.today}
          required
          errors={issuesAt(error, 'issuedOn')}
        />
        <Buttons>
          <Button kind="primary">登记红字发票 Record the red invoice</Button>
        </Buttons>
      </form>
      <form method="post" action={`/invoice-requests/${props.requestId}`} class="card">
        <input type="hidden" name="action" value="dismiss-red-letter" />
        <h2>不红冲 Dismiss</h2>
        <ReasonField errors={issuesAt(error, 'reason')} />
        <Buttons>
          <Button kind="danger">不红冲 Dismiss</Button>
        </Buttons>
      </form>
    </>
  );
}
