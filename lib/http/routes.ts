/**
 * Every HTTP route of fundflow, defined once: the catalogue CDK and the local runtime read. infra/
 * turns each entry into an API Gateway route and each web function into one Lambda (its handler
 * module, granted exactly its `needs`); the local runtime serves the very same handler modules on one
 * port. Paths use API Gateway's `{param}` syntax.
 *
 * Each capability has its web functions — its JSON API (`…Api`) and its pages (`…Pages`) — and each
 * route names the function that serves it and the handler key in that function's route table
 * (lib/<capability>/web.ts for a JSON API, pages.ts for pages, built with lib/http/router.ts): the
 * table must have exactly those keys, each with the route's auth, or it does not compile. A function
 * never looks at a route's path. The routes are listed function by function (`<function>Routes`),
 * each list handed to the router by its web module, so a function's bundle carries only its own.
 * A later capability adds its functions and routes here and its web module; nothing else changes.
 */

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';

/**
 * - `none`: public (health, the sign-in and sign-out pages).
 * - `jwt`: a bearer token checked before the handler runs (API Gateway's JWT authorizer in AWS, the
 *   local runtime's dev-token check locally); the router reads the caller from its claims.
 * - `session`: browser pages; the router checks the session cookie (API Gateway's JWT authorizer only
 *   reads the Authorization header) and sends anyone without one to sign in.
 * - `link`: pages behind an email link (`{link}`): the signed link is the credential, and every form
 *   posted there carries the link's nonce (checked by the router). No authorizer in front.
 */
export type RouteAuth = 'none' | 'jwt' | 'session' | 'link';

/** What a function may do with a state machine: start its executions, answer its waiting tasks, or both. */
export type WorkflowAccess = 'start' | 'answer' | 'startAndAnswer';

export interface FunctionSpec {
  /** The handler module, relative to the project root; it exports `handler` and `createHandler`. */
  entry: string;
  description: string;
  /**
   * What the function may use. Each need is one grant and its configuration keys in infra
   * (`FundflowFunction.bindNeeds`), the keys its cold start requires (lib/runtime/config.ts `configKeysFor`),
   * and one adapter module its entry imports (lib/runtime/adapters/): nothing else is in its bundle.
   */
  needs: {
    table?: 'read' | 'readWrite';
    evidence?: 'read' | 'write' | 'readWrite';
    /** Sends email (SES, or the company's SMTP server: MAIL_TRANSPORT). */
    mail?: true;
    /** Signs or verifies approval links (the link key in Secrets Manager). */
    linkKey?: true;
    /** Signs people in with the session cookie: the sign-in provider's ID tokens (session pages). */
    sessions?: true;
    /**
     * Signs people in through the provider's login page (Cognito's managed login, or the company's
     * OIDC provider): its issuer and app client, and the key of the sign-in cookies (Secrets Manager).
     */
    signIn?: true;
    /**
     * Starts executions of these state machines (lib/workflow/catalogue.ts, by name), answers their
     * waiting tasks (SendTaskSuccess/Failure), or both. Only the workflow outbox's dispatcher and
     * sweep start, and only they and a state machine's own tasks answer: a change writes what it owes
     * the workflow in its own transaction (lib/workflow/outbox.ts), so no route needs this.
     */
    workflows?: Readonly<Partial<Record<string, WorkflowAccess>>>;
    /**
     * Lets people sign in or stops them (lib/admin/identity-directory.ts): the Cognito user pool's
     * users, where people sign in through Cognito (USER_POOL_ID).
     */
    identityDirectory?: true;
  };
  /**
   * A workflow task that reads a week of files (the reconciliation's): its Lambda's timeout, memory
   * and /tmp, above the house 15 s / 1024 MB / 512 MB. Routes never set it.
   */
  limits?: { timeoutSeconds?: number; memoryMb?: number; tmpMb?: number };
}

export const functions = {
  health: {
    entry: 'functions/health.ts',
    description: 'Liveness: answers once the function can serve.',
    needs: {},
  },
  homePages: {
    entry: 'functions/home/pages.ts',
    description:
      'The home page (what waits for me), sign-in (the provider\u2019s login page, its callback, the session\u2019s refresh) and sign-out.',
    // linkKey: each approval waiting for the signed-in approver links to its page by a link signed
    // for them, as their email's (it still needs its own click there).
    needs: { table: 'read', linkKey: true, sessions: true, signIn: true },
  },
  suppliersApi: {
    entry: 'functions/suppliers/api.ts',
    description:
      'Supplier master data: admin/finance create or update one; read one; change requests and their review by another finance person (D8).',
    needs: { table: 'readWrite' },
  },
  ordersApi: {
    entry: 'functions/orders/api.ts',
    description: 'Platform orders: tech/admin import the back-office CSV export; read one.',
    needs: { table: 'readWrite' },
  },
  uploadsApi: {
    entry: 'functions/uploads/api.ts',
    description: 'Issue a presigned upload for a piece of evidence.',
    needs: { table: 'readWrite', evidence: 'write' },
  },
  uploadsPages: {
    entry: 'functions/uploads/pages.ts',
    description: 'Open a stored file from the pages: a short-lived link that serves it inert.',
    // evidence read: the file is served as the kind its first bytes are.
    needs: { table: 'read', evidence: 'read', sessions: true },
  },
  vouchersApi: {
    entry: 'functions/vouchers/api.ts',
    description:
      'Submit a voucher (idempotent; its approval chain owed in the same write), resubmit a rejected one (D19), read and list.',
    needs: { table: 'readWrite', evidence: 'read' },
  },
  vouchersPages: {
    entry: 'functions/vouchers/pages.ts',
    description:
      'My vouchers, the voucher form (with its files), the edit of a rejected voucher and the voucher page.',
    // evidence readWrite: the form stores the chosen files after checking their bytes.
    needs: { table: 'readWrite', evidence: 'readWrite', sessions: true },
  },
  approvalsApi: {
    entry: 'functions/approvals/api.ts',
    description:
      'Delegations (D18), proxy assignments and the proxy\u2019s DKIM-checked approval (D6), outstanding countersigns.',
    // evidence, mail, linkKey: a proxy approval reads the uploaded consent email and mails the
    // approver a signed link to refuse it.
    needs: { table: 'readWrite', evidence: 'read', mail: true, linkKey: true },
  },
  approvalsPages: {
    entry: 'functions/approvals/pages.ts',
    description:
      'Pages behind email links: approve or reject (GET confirms, POST decides once), countersign, refuse a proxy approval (D6).',
    // evidence: the approval page links each file with a presigned GET, told its type from a ranged
    // read. mail: a refusal tells finance. A refusal before payment owes the workflow its way back
    // (written to the outbox).
    needs: { table: 'readWrite', evidence: 'read', mail: true, linkKey: true },
  },
  paymentsApi: {
    entry: 'functions/payments/api.ts',
    description:
      'Payment runs and bank files (POLICY 2.2(3), D3\u2013D5), pay once or fail (one by one, or a bank file\u2019s at once), pull forward, retry, return; the supplier invoice (D9).',
    // readWrite: an export records which file each voucher went into (no voucher in two files), and the file.
    // evidence: an invoice cites its uploaded copy. mail: a failed payment goes to finance.
    needs: { table: 'readWrite', evidence: 'read', mail: true },
  },
  paymentsPages: {
    entry: 'functions/payments/pages.ts',
    description:
      'The cashier\u2019s run page, bank files and their payments form, the voucher page\u2019s payment and invoice forms, the missing invoices.',
    // evidence readWrite: the invoice form stores its copy, then cites it.
    needs: { table: 'readWrite', evidence: 'readWrite', mail: true, sessions: true },
  },
  invoicingApi: {
    entry: 'functions/invoicing/api.ts',
    description:
      'Customer invoice requests (POLICY 4): record (idempotent; an order on one request only), import from CSV, correct a returned one; finance issues or returns each line (D13); the mailing.',
    needs: { table: 'readWrite' },
  },
  invoicingPages: {
    entry: 'functions/invoicing/pages.ts',
    description:
      'The invoice request pages (POLICY 4): the list by status, customer service\u2019s form, a request\u2019s page with finance\u2019s issue and return and the mailing.',
    // sessions: the pages sign people in with the session cookie.
    needs: { table: 'readWrite', sessions: true },
  },
  exportsApi: {
    entry: 'functions/exports/api.ts',
    description:
      'The daily back-office exports (POLICY 3.1, D10): list by day range, one day, download the files.',
    // evidence read: a download is a presigned GET of the stored file.
    needs: { table: 'read', evidence: 'read' },
  },
  exportsPages: {
    entry: 'functions/exports/pages.ts',
    description: 'The daily exports page and its downloads (POLICY 3.1, D10).',
    // sessions: a page, signed in by the session cookie; evidence read: a download is a presigned GET.
    needs: { table: 'read', evidence: 'read', sessions: true },
  },
  reconciliationApi: {
    entry: 'functions/reconciliation/api.ts',
    description:
      'The weekly sales reconciliation (POLICY 3.2, D11): a week\u2019s state, its inputs, the run (owed to its workflow), differences resolved, sign-off, reopening, the report.',
    // evidence readWrite: an input is read whole on registration (its footer checked); the report is a
    // presigned GET. The run and the sign-off owe the workflow a start or an answer (the outbox).
    needs: { table: 'readWrite', evidence: 'readWrite' },
  },
  reconciliationPages: {
    entry: 'functions/reconciliation/pages.ts',
    description:
      'The weekly reconciliation pages: the recent weeks; a week\u2019s state, files, differences by category, the report, and its forms (register a file, run, resolve, sign off, reopen) (POLICY 3.2, D11).',
    // sessions: a page, signed in by the session cookie. evidence readWrite: a file chosen in the form
    // is stored, then read whole on registration; the report is a presigned GET. The run and the
    // sign-off owe the workflow a start or an answer (the outbox), as the API's do.
    needs: { table: 'readWrite', evidence: 'readWrite', sessions: true },
  },
  adminApi: {
    entry: 'functions/admin/api.ts',
    description:
      'Administration (admin): people and roles (D18 checked on save; sign-in invited or disabled), delegations, legal entities, the audit view.',
    needs: { table: 'readWrite', identityDirectory: true },
  },
  adminPages: {
    entry: 'functions/admin/pages.ts',
    description:
      'The administration pages (admin): people and roles, legal entities, the audit view of one person; forms to add and change people and the own entity.',
    // sessions: pages, signed in by the session cookie; their forms call adminApi's use cases
    // (conditional writes, sign-in invited or disabled), so they need what adminApi needs.
    needs: { table: 'readWrite', identityDirectory: true, sessions: true },
  },
  settingsApi: {
    entry: 'functions/admin/settings-api.ts',
    description:
      'Administration of the settings: an entity\u2019s policy versions (D17) and the working-day calendar (D16).',
    needs: { table: 'readWrite' },
  },
  settingsPages: {
    entry: 'functions/admin/settings-pages.ts',
    description:
      'The administrator\u2019s pages of the policy versions (D17) and the working-day calendar (D16); finance\u2019s supplier-change review page (D8); delegations (D18) and proxy assignments (D6): listed, added, revoked or ended early.',
    // sessions: the pages sign people in with the session cookie.
    needs: { table: 'readWrite', sessions: true },
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof functions;

export interface RouteSpec {
  method: HttpMethod;
  path: string;
  function: FunctionName;
  auth: RouteAuth;
  /** The key of the route in its function's route table (several routes may share one, e.g. GET and HEAD). */
  handler: string;
}

/** The routes of `health`. */
export const healthRoutes = [
  { method: 'GET', path: '/health', function: 'health', auth: 'none', handler: 'health' },
] as const satisfies readonly RouteSpec[];

/** The routes of `homePages`. */
export const homePagesRoutes = [
  { method: 'GET', path: '/', function: 'homePages', auth: 'session', handler: 'home' },
  { method: 'GET', path: '/login', function: 'homePages', auth: 'none', handler: 'signIn' },
  // The provider's answer, and a session renewed with the refresh token (lib/identity/sign-in.ts).
  { method: 'GET', path: '/auth/callback', function: 'homePages', auth: 'none', handler: 'signInCallback' },
  { method: 'GET', path: '/auth/refresh', function: 'homePages', auth: 'none', handler: 'refreshSession' },
  { method: 'POST', path: '/logout', function: 'homePages', auth: 'none', handler: 'signOut' },
] as const satisfies readonly RouteSpec[];

/** The routes of `suppliersApi`. */
export const suppliersApiRoutes = [
  { method: 'POST', path: '/api/suppliers', function: 'suppliersApi', auth: 'jwt', handler: 'saveSupplier' },
  {
    method: 'GET',
    path: '/api/suppliers/{id}',
    function: 'suppliersApi',
    auth: 'jwt',
    handler: 'getSupplier',
  },
  {
    method: 'POST',
    path: '/api/suppliers/{id}/changes',
    function: 'suppliersApi',
    auth: 'jwt',
    handler: 'requestSupplierChange',
  },
  {
    method: 'GET',
    path: '/api/suppliers/{id}/changes',
    function: 'suppliersApi',
    auth: 'jwt',
    handler: 'listSupplierChanges',
  },
  {
    method: 'POST',
    path: '/api/suppliers/{id}/changes/{changeId}/approve',
    function: 'suppliersApi',
    auth: 'jwt',
    handler: 'approveSupplierChange',
  },
  {
    method: 'POST',
    path: '/api/suppliers/{id}/changes/{changeId}/reject',
    function: 'suppliersApi',
    auth: 'jwt',
    handler: 'rejectSupplierChange',
  },
  {
    method: 'GET',
    path: '/api/supplier-changes',
    function: 'suppliersApi',
    auth: 'jwt',
    handler: 'pendingSupplierChanges',
  },
] as const satisfies readonly RouteSpec[];

/** The routes of `ordersApi`. */
export const ordersApiRoutes = [
  { method: 'POST', path: '/api/orders/import', function: 'ordersApi', auth: 'jwt', handler: 'importOrders' },
  { method: 'GET', path: '/api/orders/{id}', function: 'ordersApi', auth: 'jwt', handler: 'getOrder' },
] as const satisfies readonly RouteSpec[];

/** The routes of `exportsApi`. */
export const exportsApiRoutes = [
  {
    method: 'GET',
    path: '/api/daily-exports',
    function: 'exportsApi',
    auth: 'jwt',
    handler: 'listDailyExports',
  },
  {
    method: 'GET',
    path: '/api/daily-exports/{date}',
    function: 'exportsApi',
    auth: 'jwt',
    handler: 'getDailyExport',
  },
  {
    method: 'GET',
    path: '/api/daily-exports/{date}/{format}',
    function: 'exportsApi',
    auth: 'jwt',
    handler: 'dailyExportFile',
  },
] as const satisfies readonly RouteSpec[];

/** The routes of `exportsPages`. */
export const exportsPagesRoutes = [
  {
    method: 'GET',
    path: '/daily-exports',
    function: 'exportsPages',
    auth: 'session',
    handler: 'dailyExportsPage',
  },
  {
    method: 'GET',
    path: '/daily-exports/{date}/{format}',
    function: 'exportsPages',
    auth: 'session',
    handler: 'dailyExportPageFile',
  },
] as const satisfies readonly RouteSpec[];

/** The routes of `uploadsApi`. */
export const uploadsApiRoutes = [
  { method: 'POST', path: '/api/uploads', function: 'uploadsApi', auth: 'jwt', handler: 'createUpload' },
] as const satisfies readonly RouteSpec[];

/** The routes of `uploadsPages`. */
export const uploadsPagesRoutes = [
  { method: 'GET', path: '/evidence/{key+}', function: 'uploadsPages', auth: 'session', handler: 'openFile' },
] as const satisfies readonly RouteSpec[];

/** The routes of `vouchersApi`. */
export const vouchersApiRoutes = [
  { method: 'POST', path: '/api/vouchers', function: 'vouchersApi', auth: 'jwt', handler: 'submitVoucher' },
  { method: 'GET', path: '/api/vouchers', function: 'vouchersApi', auth: 'jwt', handler: 'listVouchers' },
  { method: 'GET', path: '/api/vouchers/{id}', function: 'vouchersApi', auth: 'jwt', handler: 'getVoucher' },
  {
    method: 'PUT',
    path: '/api/vouchers/{id}',
    function: 'vouchersApi',
    auth: 'jwt',
    handler: 'resubmitVoucher',
  },
] as const satisfies readonly RouteSpec[];

/** The routes of `vouchersPages`. */
export const vouchersPagesRoutes = [
  { method: 'GET', path: '/vouchers', function: 'vouchersPages', auth: 'session', handler: 'myVouchers' },
  {
    method: 'GET',
    path: '/vouchers/export',
    function: 'vouchersPages',
    auth: 'session',
    handler: 'exportVouchers',
  },
  {
    method: 'GET',
    path: '/vouchers/new',
    function: 'vouchersPages',
    auth: 'session',
    handler: 'voucherForm',
  },
  {
    method: 'POST',
    path: '/vouchers/new',
    function: 'vouchersPages',
    auth: 'session',
    handler: 'submitVoucherForm',
  },
  {
    method: 'GET',
    path: '/vouchers/{id}',
    function: 'vouchersPages',
    auth: 'session',
    handler: 'voucherPage',
  },
  // The printable 《付款凭单》 (POLICY 2.1(2)).
  {
    method: 'GET',
    path: '/vouchers/{id}/print',
    function: 'vouchersPages',
    auth: 'session',
    handler: 'printVoucher',
  },
  // POLICY D19: the applicant edits a rejected voucher and sends it again (a new version).
  {
    method: 'GET',
    path: '/vouchers/{id}/edit',
    function: 'vouchersPages',
    auth: 'session',
    handler: 'editVoucherForm',
  },
  {
    method: 'POST',
    path: '/vouchers/{id}/edit',
    function: 'vouchersPages',
    auth: 'session',
    handler: 'resubmitVoucherForm',
  },
] as const satisfies readonly RouteSpec[];

/** The routes of `approvalsApi`. */
export const approvalsApiRoutes = [
  {
    method: 'POST',
    path: '/api/delegations',
    function: 'approvalsApi',
    auth: 'jwt',
    handler: 'addDelegation',
  },
  {
    method: 'POST',
    path: '/api/proxy-assignments',
    function: 'approvalsApi',
    auth: 'jwt',
    handler: 'addProxyAssignment',
  },
  {
    method: 'GET',
    path: '/api/proxy-assignments',
    function: 'approvalsApi',
    auth: 'jwt',
    handler: 'listProxyAssignments',
  },
  {
    method: 'POST',
    path: '/api/delegations/{id}/revoke',
    function: 'approvalsApi',
    auth: 'jwt',
    handler: 'revokeDelegation',
  },
  {
    method: 'POST',
    path: '/api/proxy-assignments/{id}/end',
    function: 'approvalsApi',
    auth: 'jwt',
    handler: 'endProxyAssignment',
  },
  {
    method: 'POST',
    path: '/api/vouchers/{id}/proxy-approvals',
    function: 'approvalsApi',
    auth: 'jwt',
    handler: 'recordProxyApproval',
  },
  {
    method: 'GET',
    path: '/api/countersigns',
    function: 'approvalsApi',
    auth: 'jwt',
    handler: 'listCountersigns',
  },
] as const satisfies readonly RouteSpec[];

/** The routes of `approvalsPages`. */
export const approvalsPagesRoutes = [
  // Email links: the signed link is the credential (no session); GET and HEAD only show the page.
  {
    method: 'GET',
    path: '/approvals/{link}',
    function: 'approvalsPages',
    auth: 'link',
    handler: 'approvalPage',
  },
  {
    method: 'HEAD',
    path: '/approvals/{link}',
    function: 'approvalsPages',
    auth: 'link',
    handler: 'approvalPage',
  },
  { method: 'POST', path: '/approvals/{link}', function: 'approvalsPages', auth: 'link', handler: 'decide' },
  {
    method: 'GET',
    path: '/countersign/{link}',
    function: 'approvalsPages',
    auth: 'link',
    handler: 'countersignPage',
  },
  {
    method: 'HEAD',
    path: '/countersign/{link}',
    function: 'approvalsPages',
    auth: 'link',
    handler: 'countersignPage',
  },
  {
    method: 'POST',
    path: '/countersign/{link}',
    function: 'approvalsPages',
    auth: 'link',
    handler: 'countersign',
  },
  // The travelling approver refuses an approval a proxy recorded in their name (POLICY D6).
  {
    method: 'GET',
    path: '/proxy-refusal/{link}',
    function: 'approvalsPages',
    auth: 'link',
    handler: 'refusalPage',
  },
  {
    method: 'HEAD',
    path: '/proxy-refusal/{link}',
    function: 'approvalsPages',
    auth: 'link',
    handler: 'refusalPage',
  },
  {
    method: 'POST',
    path: '/proxy-refusal/{link}',
    function: 'approvalsPages',
    auth: 'link',
    handler: 'refuse',
  },
] as const satisfies readonly RouteSpec[];

/** The routes of `paymentsApi`. */
export const paymentsApiRoutes = [
  { method: 'GET', path: '/api/payment-runs', function: 'paymentsApi', auth: 'jwt', handler: 'todaysRun' },
  {
    method: 'GET',
    path: '/api/payment-runs/{date}',
    function: 'paymentsApi',
    auth: 'jwt',
    handler: 'paymentRun',
  },
  {
    method: 'POST',
    path: '/api/payment-runs/{date}/bank-batch',
    function: 'paymentsApi',
    auth: 'jwt',
    handler: 'exportBankBatch',
  },
  {
    method: 'GET',
    path: '/api/payment-runs/{date}/bank-batch/{batchId}',
    function: 'paymentsApi',
    auth: 'jwt',
    handler: 'bankFile',
  },
  {
    method: 'GET',
    path: '/api/payment-runs/{date}/bank-batch/{batchId}/file',
    function: 'paymentsApi',
    auth: 'jwt',
    handler: 'bankFileAgain',
  },
  {
    method: 'POST',
    path: '/api/payment-runs/{date}/bank-batch/{batchId}/payments',
    function: 'paymentsApi',
    auth: 'jwt',
    handler: 'recordBankFilePayments',
  },
  {
    method: 'POST',
    path: '/api/vouchers/{id}/payment',
    function: 'paymentsApi',
    auth: 'jwt',
    handler: 'recordPayment',
  },
  {
    method: 'POST',
    path: '/api/vouchers/{id}/payment/pull-forward',
    function: 'paymentsApi',
    auth: 'jwt',
    handler: 'pullIntoTodaysRun',
  },
  {
    method: 'POST',
    path: '/api/vouchers/{id}/payment/retry',
    function: 'paymentsApi',
    auth: 'jwt',
    handler: 'retryPayment',
  },
  {
    method: 'POST',
    path: '/api/vouchers/{id}/payment/return',
    function: 'paymentsApi',
    auth: 'jwt',
    handler: 'returnToApplicant',
  },
  {
    method: 'POST',
    path: '/api/vouchers/{id}/supplier-invoice',
    function: 'paymentsApi',
    auth: 'jwt',
    handler: 'recordSupplierInvoice',
  },
  {
    method: 'POST',
    path: '/api/vouchers/{id}/supplier-invoice/waiver',
    function: 'paymentsApi',
    auth: 'jwt',
    handler: 'waiveSpecialInvoice',
  },
  {
    method: 'GET',
    path: '/api/supplier-invoices/missing',
    function: 'paymentsApi',
    auth: 'jwt',
    handler: 'missingInvoices',
  },
] as const satisfies readonly RouteSpec[];

/** The routes of `paymentsPages`. */
export const paymentsPagesRoutes = [
  { method: 'GET', path: '/payment-runs', function: 'paymentsPages', auth: 'session', handler: 'runOfDay' },
  {
    method: 'GET',
    path: '/payment-runs/{date}',
    function: 'paymentsPages',
    auth: 'session',
    handler: 'runPage',
  },
  {
    method: 'POST',
    path: '/payment-runs/{date}',
    function: 'paymentsPages',
    auth: 'session',
    handler: 'runForm',
  },
  {
    method: 'POST',
    path: '/payment-runs/{date}/bank-batch',
    function: 'paymentsPages',
    auth: 'session',
    handler: 'bankBatchForm',
  },
  {
    method: 'GET',
    path: '/payment-runs/{date}/bank-batch/{batchId}',
    function: 'paymentsPages',
    auth: 'session',
    handler: 'bankFilePage',
  },
  {
    method: 'POST',
    path: '/payment-runs/{date}/bank-batch/{batchId}',
    function: 'paymentsPages',
    auth: 'session',
    handler: 'bankFileForm',
  },
  {
    method: 'GET',
    path: '/payment-runs/{date}/bank-batch/{batchId}/file',
    function: 'paymentsPages',
    auth: 'session',
    handler: 'bankFileDownload',
  },
  {
    method: 'POST',
    path: '/vouchers/{id}/payment',
    function: 'paymentsPages',
    auth: 'session',
    handler: 'failedPaymentForm',
  },
  {
    method: 'POST',
    path: '/vouchers/{id}/supplier-invoice',
    function: 'paymentsPages',
    auth: 'session',
    handler: 'supplierInvoiceForm',
  },
  {
    method: 'POST',
    path: '/vouchers/{id}/supplier-invoice/waiver',
    function: 'paymentsPages',
    auth: 'session',
    handler: 'waiverForm',
  },
  {
    method: 'GET',
    path: '/supplier-invoices/missing',
    function: 'paymentsPages',
    auth: 'session',
    handler: 'missingInvoicesPage',
  },
  {
    method: 'GET',
    path: '/supplier-invoices/missing/export',
    function: 'paymentsPages',
    auth: 'session',
    handler: 'exportMissingInvoices',
  },
] as const satisfies readonly RouteSpec[];

/** The routes of `invoicingApi`. */
export const invoicingApiRoutes = [
  // Customer invoice requests (POLICY 4; D7, D12, D13).
  {
    method: 'POST',
    path: '/api/invoice-requests',
    function: 'invoicingApi',
    auth: 'jwt',
    handler: 'recordRequest',
  },
  {
    method: 'GET',
    path: '/api/invoice-requests',
    function: 'invoicingApi',
    auth: 'jwt',
    handler: 'listRequests',
  },
  {
    method: 'POST',
    path: '/api/invoice-requests/import',
    function: 'invoicingApi',
    auth: 'jwt',
    handler: 'importRequests',
  },
  {
    method: 'GET',
    path: '/api/invoice-requests/{id}',
    function: 'invoicingApi',
    auth: 'jwt',
    handler: 'getRequest',
  },
  {
    method: 'PUT',
    path: '/api/invoice-requests/{id}',
    function: 'invoicingApi',
    auth: 'jwt',
    handler: 'correctRequest',
  },
  {
    method: 'POST',
    path: '/api/invoice-requests/{id}/issue',
    function: 'invoicingApi',
    auth: 'jwt',
    handler: 'issueInvoice',
  },
  {
    method: 'POST',
    path: '/api/invoice-requests/{id}/return',
    function: 'invoicingApi',
    auth: 'jwt',
    handler: 'returnRequest',
  },
  // Issue 13 §4: finance records the red-letter reversal, or dismisses the flag.
  {
    method: 'POST',
    path: '/api/invoice-requests/{id}/red-letter',
    function: 'invoicingApi',
    auth: 'jwt',
    handler: 'recordRedLetter',
  },
  {
    method: 'POST',
    path: '/api/invoice-requests/{id}/red-letter/dismiss',
    function: 'invoicingApi',
    auth: 'jwt',
    handler: 'dismissRedLetter',
  },
  {
    method: 'POST',
    path: '/api/invoice-requests/{id}/delivery',
    function: 'invoicingApi',
    auth: 'jwt',
    handler: 'recordDelivery',
  },
  {
    method: 'GET',
    path: '/api/invoice-batches/{batchDate}',
    function: 'invoicingApi',
    auth: 'jwt',
    handler: 'getBatch',
  },
  {
    method: 'GET',
    path: '/api/invoice-batches/{batchDate}/application',
    function: 'invoicingApi',
    auth: 'jwt',
    handler: 'batchApplication',
  },
  {
    method: 'POST',
    path: '/api/invoice-batches/{batchDate}/issued',
    function: 'invoicingApi',
    auth: 'jwt',
    handler: 'recordBatchResult',
  },
] as const satisfies readonly RouteSpec[];

/** The routes of `invoicingPages`. */
export const invoicingPagesRoutes = [
  {
    method: 'GET',
    path: '/invoice-requests',
    function: 'invoicingPages',
    auth: 'session',
    handler: 'requestsPage',
  },
  {
    method: 'GET',
    path: '/invoice-requests/new',
    function: 'invoicingPages',
    auth: 'session',
    handler: 'newRequestForm',
  },
  {
    method: 'POST',
    path: '/invoice-requests/new',
    function: 'invoicingPages',
    auth: 'session',
    handler: 'submitRequestForm',
  },
  {
    method: 'GET',
    path: '/invoice-requests/{id}',
    function: 'invoicingPages',
    auth: 'session',
    handler: 'requestPage',
  },
  {
    method: 'POST',
    path: '/invoice-requests/{id}',
    function: 'invoicingPages',
    auth: 'session',
    handler: 'requestForm',
  },
  {
    method: 'GET',
    path: '/invoice-batches/{batchDate}',
    function: 'invoicingPages',
    auth: 'session',
    handler: 'batchPage',
  },
  // Finance's inline forms on the batch page: issue or return a line, upload the tax bureau's result.
  {
    method: 'POST',
    path: '/invoice-batches/{batchDate}',
    function: 'invoicingPages',
    auth: 'session',
    handler: 'batchForm',
  },
  {
    method: 'GET',
    path: '/invoice-batches/{batchDate}/application.xlsx',
    function: 'invoicingPages',
    auth: 'session',
    handler: 'batchApplication',
  },
] as const satisfies readonly RouteSpec[];

/** The routes of `reconciliationApi`. */
export const reconciliationApiRoutes = [
  {
    method: 'GET',
    path: '/api/reconciliations/{week}',
    function: 'reconciliationApi',
    auth: 'jwt',
    handler: 'getReconciliation',
  },
  {
    method: 'POST',
    path: '/api/reconciliations/{week}/inputs',
    function: 'reconciliationApi',
    auth: 'jwt',
    handler: 'registerReconciliationInput',
  },
  {
    method: 'POST',
    path: '/api/reconciliations/{week}/run',
    function: 'reconciliationApi',
    auth: 'jwt',
    handler: 'runReconciliation',
  },
  {
    method: 'GET',
    path: '/api/reconciliations/{week}/differences',
    function: 'reconciliationApi',
    auth: 'jwt',
    handler: 'listReconciliationDifferences',
  },
  {
    method: 'POST',
    path: '/api/reconciliations/{week}/differences/{id}',
    function: 'reconciliationApi',
    auth: 'jwt',
    handler: 'resolveReconciliationDifference',
  },
  {
    method: 'POST',
    path: '/api/reconciliations/{week}/sign-off',
    function: 'reconciliationApi',
    auth: 'jwt',
    handler: 'signOffReconciliation',
  },
  {
    method: 'POST',
    path: '/api/reconciliations/{week}/reopen',
    function: 'reconciliationApi',
    auth: 'jwt',
    handler: 'reopenReconciliation',
  },
  {
    method: 'GET',
    path: '/api/reconciliations/{week}/report',
    function: 'reconciliationApi',
    auth: 'jwt',
    handler: 'reconciliationReport',
  },
  {
    method: 'GET',
    path: '/api/reconciliations/{week}/sales-summary-template',
    function: 'reconciliationApi',
    auth: 'jwt',
    handler: 'salesSummaryTemplate',
  },
] as const satisfies readonly RouteSpec[];

/** The routes of `reconciliationPages`. */
export const reconciliationPagesRoutes = [
  {
    method: 'GET',
    path: '/reconciliations/{week}',
    function: 'reconciliationPages',
    auth: 'session',
    handler: 'reconciliationPage',
  },
  {
    method: 'GET',
    path: '/reconciliations/{week}/report',
    function: 'reconciliationPages',
    auth: 'session',
    handler: 'reconciliationPageReport',
  },
  {
    method: 'GET',
    path: '/reconciliations/{week}/sales-summary-template',
    function: 'reconciliationPages',
    auth: 'session',
    handler: 'reconciliationPageTemplate',
  },
  {
    method: 'GET',
    path: '/reconciliations',
    function: 'reconciliationPages',
    auth: 'session',
    handler: 'reconciliationWeeksPage',
  },
  {
    method: 'GET',
    path: '/reconciliations/{week}/inputs/uploaded',
    function: 'reconciliationPages',
    auth: 'session',
    handler: 'reconciliationInputUploaded',
  },
  {
    method: 'POST',
    path: '/reconciliations/{week}/run',
    function: 'reconciliationPages',
    auth: 'session',
    handler: 'reconciliationRunForm',
  },
  {
    method: 'POST',
    path: '/reconciliations/{week}/differences/{id}',
    function: 'reconciliationPages',
    auth: 'session',
    handler: 'reconciliationResolveForm',
  },
  {
    method: 'POST',
    path: '/reconciliations/{week}/sign-off',
    function: 'reconciliationPages',
    auth: 'session',
    handler: 'reconciliationSignOffForm',
  },
  {
    method: 'POST',
    path: '/reconciliations/{week}/reopen',
    function: 'reconciliationPages',
    auth: 'session',
    handler: 'reconciliationReopenForm',
  },
] as const satisfies readonly RouteSpec[];

/** The routes of `adminApi`. */
export const adminApiRoutes = [
  { method: 'GET', path: '/api/people', function: 'adminApi', auth: 'jwt', handler: 'listPeople' },
  { method: 'POST', path: '/api/people', function: 'adminApi', auth: 'jwt', handler: 'createPerson' },
  { method: 'GET', path: '/api/people/{email}', function: 'adminApi', auth: 'jwt', handler: 'getPerson' },
  { method: 'PUT', path: '/api/people/{email}', function: 'adminApi', auth: 'jwt', handler: 'updatePerson' },
  {
    method: 'GET',
    path: '/api/delegations',
    function: 'adminApi',
    auth: 'jwt',
    handler: 'listDelegations',
  },
  { method: 'GET', path: '/api/entities', function: 'adminApi', auth: 'jwt', handler: 'listEntities' },
  { method: 'POST', path: '/api/entities', function: 'adminApi', auth: 'jwt', handler: 'createEntity' },
  { method: 'GET', path: '/api/entities/{id}', function: 'adminApi', auth: 'jwt', handler: 'getEntity' },
  { method: 'PUT', path: '/api/entities/{id}', function: 'adminApi', auth: 'jwt', handler: 'updateEntity' },
  { method: 'GET', path: '/api/audit', function: 'adminApi', auth: 'jwt', handler: 'auditTrail' },
] as const satisfies readonly RouteSpec[];

/** The routes of `adminPages`. */
export const adminPagesRoutes = [
  { method: 'GET', path: '/admin/people', function: 'adminPages', auth: 'session', handler: 'peoplePage' },
  {
    method: 'GET',
    path: '/admin/entities',
    function: 'adminPages',
    auth: 'session',
    handler: 'entitiesPage',
  },
  { method: 'GET', path: '/admin/audit', function: 'adminPages', auth: 'session', handler: 'auditPage' },
  {
    method: 'GET',
    path: '/admin/people/new',
    function: 'adminPages',
    auth: 'session',
    handler: 'newPersonForm',
  },
  {
    method: 'POST',
    path: '/admin/people/new',
    function: 'adminPages',
    auth: 'session',
    handler: 'submitNewPerson',
  },
  {
    method: 'GET',
    path: '/admin/people/{email}/edit',
    function: 'adminPages',
    auth: 'session',
    handler: 'editPersonForm',
  },
  {
    method: 'POST',
    path: '/admin/people/{email}/edit',
    function: 'adminPages',
    auth: 'session',
    handler: 'submitPerson',
  },
  {
    method: 'GET',
    path: '/admin/entities/{id}/edit',
    function: 'adminPages',
    auth: 'session',
    handler: 'editEntityForm',
  },
  {
    method: 'POST',
    path: '/admin/entities/{id}/edit',
    function: 'adminPages',
    auth: 'session',
    handler: 'submitEntity',
  },
] as const satisfies readonly RouteSpec[];

/** The routes of `settingsApi`. */
export const settingsApiRoutes = [
  {
    method: 'GET',
    path: '/api/entities/{id}/policy',
    function: 'settingsApi',
    auth: 'jwt',
    handler: 'getPolicy',
  },
  {
    method: 'POST',
    path: '/api/entities/{id}/policy',
    function: 'settingsApi',
    auth: 'jwt',
    handler: 'addPolicyVersion',
  },
  {
    method: 'GET',
    path: '/api/calendar/{year}',
    function: 'settingsApi',
    auth: 'jwt',
    handler: 'getCalendarYear',
  },
  {
    method: 'POST',
    path: '/api/calendar/overrides',
    function: 'settingsApi',
    auth: 'jwt',
    handler: 'setCalendarOverride',
  },
  {
    method: 'DELETE',
    path: '/api/calendar/overrides/{date}',
    function: 'settingsApi',
    auth: 'jwt',
    handler: 'removeCalendarOverride',
  },
  {
    method: 'POST',
    path: '/api/calendar/years/{year}',
    function: 'settingsApi',
    auth: 'jwt',
    handler: 'loadCalendarYear',
  },
] as const satisfies readonly RouteSpec[];

/** The routes of `settingsPages`. */
export const settingsPagesRoutes = [
  { method: 'GET', path: '/admin/policy', function: 'settingsPages', auth: 'session', handler: 'policyPage' },
  {
    method: 'POST',
    path: '/admin/policy',
    function: 'settingsPages',
    auth: 'session',
    handler: 'policyForm',
  },
  {
    method: 'GET',
    path: '/admin/calendar/{year}',
    function: 'settingsPages',
    auth: 'session',
    handler: 'calendarPage',
  },
  {
    method: 'POST',
    path: '/admin/calendar/{year}',
    function: 'settingsPages',
    auth: 'session',
    handler: 'calendarForm',
  },
  {
    method: 'GET',
    path: '/supplier-changes',
    function: 'settingsPages',
    auth: 'session',
    handler: 'supplierChangesPage',
  },
  {
    method: 'POST',
    path: '/supplier-changes',
    function: 'settingsPages',
    auth: 'session',
    handler: 'requestSupplierChangeForm',
  },
  {
    method: 'POST',
    path: '/supplier-changes/{id}/{changeId}/approve',
    function: 'settingsPages',
    auth: 'session',
    handler: 'approveSupplierChangeForm',
  },
  {
    method: 'POST',
    path: '/supplier-changes/{id}/{changeId}/reject',
    function: 'settingsPages',
    auth: 'session',
    handler: 'rejectSupplierChangeForm',
  },
  {
    method: 'GET',
    path: '/admin/delegations',
    function: 'settingsPages',
    auth: 'session',
    handler: 'delegationsPage',
  },
  {
    method: 'POST',
    path: '/admin/delegations',
    function: 'settingsPages',
    auth: 'session',
    handler: 'delegationForm',
  },
  {
    method: 'POST',
    path: '/admin/delegations/{id}/revoke',
    function: 'settingsPages',
    auth: 'session',
    handler: 'revokeDelegationForm',
  },
  {
    method: 'GET',
    path: '/admin/proxy-assignments',
    function: 'settingsPages',
    auth: 'session',
    handler: 'proxyAssignmentsPage',
  },
  {
    method: 'POST',
    path: '/admin/proxy-assignments',
    function: 'settingsPages',
    auth: 'session',
    handler: 'proxyAssignmentForm',
  },
  {
    method: 'POST',
    path: '/admin/proxy-assignments/{id}/end',
    function: 'settingsPages',
    auth: 'session',
    handler: 'endProxyAssignmentForm',
  },
] as const satisfies readonly RouteSpec[];

/**
 * Every route, function by function. A function's bundle imports its own routes alone (its web
 * module hands them to the router): the catalogue is for the stack, the local runtime and the tests,
 * and esbuild leaves it out of the bundles (`@__PURE__`), with the other functions' routes.
 */
export const routes = /* @__PURE__ */ catalogue(
  healthRoutes,
  homePagesRoutes,
  suppliersApiRoutes,
  ordersApiRoutes,
  exportsApiRoutes,
  exportsPagesRoutes,
  uploadsApiRoutes,
  uploadsPagesRoutes,
  vouchersApiRoutes,
  vouchersPagesRoutes,
  approvalsApiRoutes,
  approvalsPagesRoutes,
  paymentsApiRoutes,
  paymentsPagesRoutes,
  invoicingApiRoutes,
  invoicingPagesRoutes,
  reconciliationApiRoutes,
  reconciliationPagesRoutes,
  adminApiRoutes,
  adminPagesRoutes,
  settingsApiRoutes,
  settingsPagesRoutes,
);

function catalogue<const G extends readonly (readonly RouteSpec[])[]>(...groups: G): G[number][number][] {
  return groups.flat() as G[number][number][];
}

type CatalogueRoute = (typeof routes)[number];

/** The handler keys a web function's route table must have: exactly those its routes name. */
export type HandlerKey<F extends FunctionName> = Extract<CatalogueRoute, { function: F }>['handler'];

/** The auth of the routes a handler key serves. */
export type AuthOf<F extends FunctionName, K> = Extract<CatalogueRoute, { function: F; handler: K }>['auth'];

/** `GET /vouchers/{id}`: how API Gateway names the route an event came by (`event.routeKey`). */
export const routeKeyOf = (route: { method: string; path: string }): string =>
  `${route.method} ${route.path}`;
