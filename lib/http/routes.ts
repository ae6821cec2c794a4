/**
 * Every HTTP route of fundflow, defined once. infra/ turns each entry into an API Gateway route and a
 * Lambda function (one function per handler module, with the grants listed in `needs`); the local
 * runtime serves the very same handler modules on one port. Paths use API Gateway's `{param}` syntax.
 */

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT';

/**
 * - `none`: public.
 * - `jwt`: a bearer token checked before the handler runs (API Gateway's JWT authorizer in AWS, the
 *   local runtime's dev-token check locally); the handler reads `requestContext.authorizer.jwt.claims`.
 * - `session`: browser pages; the handler itself checks the session cookie (API Gateway's JWT
 *   authorizer only reads the Authorization header).
 */
export type RouteAuth = 'none' | 'jwt' | 'session';

/** What a function may do with a state machine: start its executions, answer its waiting tasks, or both. */
export type WorkflowAccess = 'start' | 'answer' | 'startAndAnswer';

export interface FunctionSpec {
  /** The handler module, relative to the project root; it exports `handler` and `createHandler`. */
  entry: string;
  description: string;
  /**
   * What the function may use. Each need is one grant and its configuration keys in infra
   * (`FundflowFunction.bindNeeds`), the keys its cold start requires (lib/config.ts `configKeysFor`),
   * and one adapter module its entry imports (lib/runtime/adapters/): nothing else is in its bundle.
   */
  needs: {
    table?: 'read' | 'readWrite';
    evidence?: 'read' | 'write' | 'readWrite';
    /** Sends email (SES). */
    mail?: true;
    /** Signs or verifies approval links (the link key in Secrets Manager). */
    linkKey?: true;
    /** Signs people in with the session cookie: the user pool's ID tokens (session pages). */
    sessions?: true;
    /**
     * Starts executions of these state machines (lib/workflow/catalogue.ts, by name), answers their
     * waiting tasks (SendTaskSuccess/Failure), or both. Only the workflow outbox's dispatcher and
     * sweep start, and only they and a state machine's own tasks answer: a change writes what it owes
     * the workflow in its own transaction (lib/workflow/outbox.ts), so no route needs this.
     */
    workflows?: Readonly<Partial<Record<string, WorkflowAccess>>>;
  };
}

export const functions = {
  health: {
    entry: 'functions/health.ts',
    description: 'Liveness: answers once the function can serve.',
    needs: {},
  },
  createSupplier: {
    entry: 'functions/suppliers/create.ts',
    description: 'Admin/finance create or update supplier master data.',
    needs: { table: 'readWrite' },
  },
  getSupplier: {
    entry: 'functions/suppliers/get.ts',
    description: 'Read one supplier.',
    needs: { table: 'read' },
  },
  importOrders: {
    entry: 'functions/orders/import.ts',
    description: 'Tech/admin upsert platform orders from the back-office CSV export.',
    needs: { table: 'readWrite' },
  },
  getOrder: {
    entry: 'functions/orders/get.ts',
    description: 'Read one platform order.',
    needs: { table: 'read' },
  },
  createUpload: {
    entry: 'functions/uploads/create.ts',
    description: 'Issue a presigned upload for a piece of evidence.',
    needs: { table: 'readWrite', evidence: 'write' },
  },
  submitVoucher: {
    entry: 'functions/vouchers/submit.ts',
    description: 'Submit a payment voucher (idempotent); its approval chain is owed in the same write.',
    needs: { table: 'readWrite', evidence: 'read' },
  },
  resubmitVoucher: {
    entry: 'functions/vouchers/resubmit.ts',
    description: 'Resubmit a rejected voucher as a new version (POLICY D19).',
    needs: { table: 'readWrite', evidence: 'read' },
  },
  addDelegation: {
    entry: 'functions/delegations/add.ts',
    description: 'Admin records a dated delegation (POLICY D18).',
    needs: { table: 'readWrite' },
  },
  proxyAssignments: {
    entry: 'functions/proxy-assignments/handler.ts',
    description: 'Admin names a travelling approver\u2019s proxy for dated days; who is whose proxy (D6).',
    needs: { table: 'readWrite' },
  },
  recordProxyApproval: {
    entry: 'functions/approvals/proxy.ts',
    description: 'A named proxy records a travelling approver\u2019s DKIM-signed consent email (POLICY D6).',
    needs: { table: 'readWrite', evidence: 'read', mail: true, linkKey: true },
  },
  listCountersigns: {
    entry: 'functions/countersigns/list.ts',
    description: 'Outstanding countersigns: all for finance and admin, one\u2019s own otherwise.',
    needs: { table: 'read' },
  },
  countersignPages: {
    entry: 'functions/countersigns/pages.ts',
    description: 'Countersign and proxy-refusal pages behind email links: countersign all, or refuse (D6).',
    // A refusal before payment owes the waiting workflow its way back (written to the outbox).
    needs: { table: 'readWrite', linkKey: true, mail: true },
  },
  approvalPages: {
    entry: 'functions/approvals/handler.ts',
    description: 'Approval pages behind email links: GET confirms, POST decides once.',
    // evidence: the page links each file with a presigned GET, told its type from a ranged read.
    needs: { table: 'readWrite', evidence: 'read', linkKey: true },
  },
  getVoucher: {
    entry: 'functions/vouchers/get.ts',
    description: 'Read one voucher with its audit history.',
    needs: { table: 'read' },
  },
  listVouchers: {
    entry: 'functions/vouchers/list.ts',
    description: 'List vouchers by status or applicant.',
    needs: { table: 'read' },
  },
  paymentRuns: {
    entry: 'functions/payments/runs.ts',
    description: 'A day\u2019s payment run and its bank batch file (POLICY 2.2(3), D3\u2013D5).',
    // readWrite: an export records which file each voucher went into (no voucher in two files).
    needs: { table: 'readWrite' },
  },
  recordPayment: {
    entry: 'functions/payments/record.ts',
    description:
      'The cashier pays once or records a failure; pull-forward (D5), retry and return by finance.',
    needs: { table: 'readWrite', mail: true },
  },
  supplierInvoices: {
    entry: 'functions/supplier-invoices/handler.ts',
    description:
      'Record the supplier\u2019s invoice after payment, finance\u2019s waiver, the missing list (D9).',
    needs: { table: 'readWrite', evidence: 'read' },
  },
  pages: {
    entry: 'functions/pages/handler.ts',
    description:
      'Server-rendered pages for people (sign-in, submit, my vouchers, voucher detail, the payment run, missing invoices).',
    needs: { table: 'readWrite', evidence: 'readWrite', mail: true, sessions: true },
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof functions;

export interface RouteSpec {
  method: HttpMethod;
  path: string;
  function: FunctionName;
  auth: RouteAuth;
}

export const routes: readonly RouteSpec[] = [
  { method: 'GET', path: '/health', function: 'health', auth: 'none' },
  { method: 'POST', path: '/api/suppliers', function: 'createSupplier', auth: 'jwt' },
  { method: 'GET', path: '/api/suppliers/{id}', function: 'getSupplier', auth: 'jwt' },
  { method: 'POST', path: '/api/orders/import', function: 'importOrders', auth: 'jwt' },
  { method: 'GET', path: '/api/orders/{id}', function: 'getOrder', auth: 'jwt' },
  { method: 'POST', path: '/api/uploads', function: 'createUpload', auth: 'jwt' },
  { method: 'POST', path: '/api/vouchers', function: 'submitVoucher', auth: 'jwt' },
  { method: 'GET', path: '/api/vouchers', function: 'listVouchers', auth: 'jwt' },
  { method: 'GET', path: '/api/vouchers/{id}', function: 'getVoucher', auth: 'jwt' },
  { method: 'PUT', path: '/api/vouchers/{id}', function: 'resubmitVoucher', auth: 'jwt' },
  { method: 'POST', path: '/api/delegations', function: 'addDelegation', auth: 'jwt' },
  { method: 'POST', path: '/api/proxy-assignments', function: 'proxyAssignments', auth: 'jwt' },
  { method: 'GET', path: '/api/proxy-assignments', function: 'proxyAssignments', auth: 'jwt' },
  {
    method: 'POST',
    path: '/api/vouchers/{id}/proxy-approvals',
    function: 'recordProxyApproval',
    auth: 'jwt',
  },
  { method: 'GET', path: '/api/countersigns', function: 'listCountersigns', auth: 'jwt' },
  { method: 'GET', path: '/api/payment-runs', function: 'paymentRuns', auth: 'jwt' },
  { method: 'GET', path: '/api/payment-runs/{date}', function: 'paymentRuns', auth: 'jwt' },
  { method: 'POST', path: '/api/payment-runs/{date}/bank-batch', function: 'paymentRuns', auth: 'jwt' },
  { method: 'POST', path: '/api/vouchers/{id}/payment', function: 'recordPayment', auth: 'jwt' },
  { method: 'POST', path: '/api/vouchers/{id}/payment/pull-forward', function: 'recordPayment', auth: 'jwt' },
  { method: 'POST', path: '/api/vouchers/{id}/payment/retry', function: 'recordPayment', auth: 'jwt' },
  { method: 'POST', path: '/api/vouchers/{id}/payment/return', function: 'recordPayment', auth: 'jwt' },
  { method: 'POST', path: '/api/vouchers/{id}/supplier-invoice', function: 'supplierInvoices', auth: 'jwt' },
  {
    method: 'POST',
    path: '/api/vouchers/{id}/supplier-invoice/waiver',
    function: 'supplierInvoices',
    auth: 'jwt',
  },
  { method: 'GET', path: '/api/supplier-invoices/missing', function: 'supplierInvoices', auth: 'jwt' },
  { method: 'GET', path: '/countersign/{link}', function: 'countersignPages', auth: 'none' },
  { method: 'HEAD', path: '/countersign/{link}', function: 'countersignPages', auth: 'none' },
  { method: 'POST', path: '/countersign/{link}', function: 'countersignPages', auth: 'none' },
  // The travelling approver refuses an approval a proxy recorded in their name (POLICY D6).
  { method: 'GET', path: '/proxy-refusal/{link}', function: 'countersignPages', auth: 'none' },
  { method: 'HEAD', path: '/proxy-refusal/{link}', function: 'countersignPages', auth: 'none' },
  { method: 'POST', path: '/proxy-refusal/{link}', function: 'countersignPages', auth: 'none' },
  // Email links: the signed link is the credential (no session); GET and HEAD only show the page.
  { method: 'GET', path: '/approvals/{link}', function: 'approvalPages', auth: 'none' },
  { method: 'HEAD', path: '/approvals/{link}', function: 'approvalPages', auth: 'none' },
  { method: 'POST', path: '/approvals/{link}', function: 'approvalPages', auth: 'none' },
  { method: 'GET', path: '/', function: 'pages', auth: 'session' },
  { method: 'GET', path: '/login', function: 'pages', auth: 'none' },
  { method: 'POST', path: '/logout', function: 'pages', auth: 'none' },
  { method: 'GET', path: '/vouchers', function: 'pages', auth: 'session' },
  { method: 'GET', path: '/vouchers/new', function: 'pages', auth: 'session' },
  { method: 'POST', path: '/vouchers/new', function: 'pages', auth: 'session' },
  { method: 'GET', path: '/vouchers/{id}', function: 'pages', auth: 'session' },
  { method: 'GET', path: '/evidence/{key+}', function: 'pages', auth: 'session' },
  { method: 'GET', path: '/payment-runs', function: 'pages', auth: 'session' },
  { method: 'GET', path: '/payment-runs/{date}', function: 'pages', auth: 'session' },
  { method: 'POST', path: '/payment-runs/{date}', function: 'pages', auth: 'session' },
  { method: 'POST', path: '/payment-runs/{date}/bank-batch', function: 'pages', auth: 'session' },
  { method: 'POST', path: '/vouchers/{id}/payment', function: 'pages', auth: 'session' },
  { method: 'POST', path: '/vouchers/{id}/supplier-invoice', function: 'pages', auth: 'session' },
  { method: 'POST', path: '/vouchers/{id}/supplier-invoice/waiver', function: 'pages', auth: 'session' },
  { method: 'GET', path: '/supplier-invoices/missing', function: 'pages', auth: 'session' },
];
