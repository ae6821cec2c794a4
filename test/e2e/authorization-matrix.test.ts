/**
 * The authorization matrix: every route of lib/http/routes.ts, sent by one demo person of each role
 * and by nobody, each a request that would succeed for a person allowed to send it — so the status
 * shows who may, not what is malformed. The expected statuses are the one table below; a route missing
 * from it fails the first test, so a new route cannot ship without its row.
 *
 * The credential is the route's own: the bearer token (`jwt`), the session cookie (`session`, where
 * nobody is sent to the sign-in page), or, for the pages behind email links, a link signed with the
 * runtime's key in that person's name (nobody: a tampered link). The people are the demo's first
 * entity's; that a person of the second entity cannot act in the first is test/e2e/admin-entities.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setCalendarOverride } from '../../lib/admin/calendar.ts';
import { addDelegation } from '../../lib/approvals/delegations.ts';
import { addProxyAssignment } from '../../lib/approvals/proxy-assignments.ts';
import { formNonce } from '../../lib/domain/approval-links.ts';
import type { Role } from '../../lib/domain/model.ts';
import { DEFAULT_POLICY, EDITABLE_POLICY_SETTINGS } from '../../lib/domain/policy.ts';
import { addDays, toShanghaiIso } from '../../lib/domain/time.ts';
import { routes } from '../../lib/http/routes.ts';
import { closeBatch } from '../../lib/invoicing/batches.ts';
import { INVOICE_REQUEST_CSV_COLUMNS } from '../../lib/invoicing/import-requests.ts';
import { issueInvoice, recordInvoiceRequest, returnInvoiceRequest } from '../../lib/invoicing/requests.ts';
import type { InvoiceRequestInput } from '../../lib/invoicing/schemas.ts';
import { DEMO_ENTITY, DEMO_PEOPLE } from '../../lib/local/seed.ts';
import { changeInvoiceRequest } from '../../lib/platform/change.ts';
import { registerInput, runReconciliation, signOff } from '../../lib/reconciliation/weeks.ts';
import { requestSupplierChange } from '../../lib/suppliers/changes.ts';
import { saveSupplier } from '../../lib/suppliers/save-supplier.ts';
import { storeUploadedFile } from '../../lib/uploads/create-upload.ts';
import { accountLogText, gbk } from '../support/alipay-files.ts';
import { TINY_PNG } from '../support/app.ts';
import {
  buildDemoWorld,
  type DemoWorld,
  HEAD,
  PERSON_OF_ROLE,
  TODAY,
  VOUCHER_STATES,
  type VoucherState,
} from '../support/demo-world.ts';
import { type RunningRuntime, startRuntime, TEXTILE_ACCOUNT } from '../support/runtime.ts';

const COLUMNS = [
  'MERCHANDISER',
  'HEAD_OF_MERCHANDISING',
  'CEO',
  'FINANCE_REVIEWER',
  'CASHIER',
  'CUSTOMER_SERVICE',
  'FINANCE_INVOICING',
  'TECH',
  'ADMIN',
  'none',
] as const satisfies readonly (Role | 'none')[];
type Column = (typeof COLUMNS)[number];

/** A working day before the world's day, whose daily export the matrix reads. */
const EXPORT_DAY = '2026-11-17';

/** A 303 to the sign-in page: a page that needs a session, asked for without one. */
const LOGIN = 'login';
type Expected = number | typeof LOGIN;
type Row = [
  Expected,
  Expected,
  Expected,
  Expected,
  Expected,
  Expected,
  Expected,
  Expected,
  Expected,
  Expected,
];

/**
 * Who may do what. MERCHANDISER is li.na, the applicant of every voucher the requests act on; the head
 * of merchandising (wang.qiang) is a merchandiser too. Notes:
 * - proxy approvals: nobody by role alone (only a proxy the approver named: the demo names sun.hao, a
 *   merchandiser who is none of these columns), so every role is refused before the email is read.
 *   Who may name proxies: admin; who may list an approver's: the approver, finance, the CEO, admin.
 * - proxy refusal links: a link in the cell's name for a voucher sun.hao approved in the head of
 *   merchandising's name — only his refuses (200); anyone else's names no approval of theirs (409).
 * - the finance reviewer is allowed a bank batch, but reviewed every voucher of the run, and POLICY D18
 *   leaves those out of their file: 422 NOTHING_TO_EXPORT, not 403.
 * - approval links: only the step's holder decides (D18); anyone's link shows the page.
 * - GET /payment-runs redirects everyone signed in to today's run page (who may see it is that page's row).
 * - a bank file (its record, the file again) is the cashier's and finance's, who may export one; only
 *   the cashier records its payments. The run page's export answers with the run page (303), whose
 *   banner links the file.
 */
// biome-ignore format: a table, aligned by column
const EXPECTED: Record<string, Row> = {
  //                                                   MERCH  HEAD   CEO    FIN    CASH   CS     INV    TECH   ADMIN  none
  'GET /health':                                      [200,   200,   200,   200,   200,   200,   200,   200,   200,   200],
  'POST /api/suppliers':                              [403,   403,   403,   201,   403,   403,   403,   403,   201,   401],
  'GET /api/suppliers/{id}':                          [200,   200,   200,   200,   200,   200,   200,   200,   200,   401],
  'POST /api/orders/import':                          [403,   403,   403,   403,   403,   403,   403,   200,   200,   401],
  'GET /api/orders/{id}':                             [200,   200,   200,   200,   200,   200,   200,   200,   200,   401],
  'GET /api/daily-exports':                           [200,   200,   403,   200,   403,   403,   200,   403,   403,   401],
  'GET /api/daily-exports/{date}':                    [200,   200,   403,   200,   403,   403,   200,   403,   403,   401],
  'GET /api/daily-exports/{date}/{format}':           [303,   303,   403,   303,   403,   403,   303,   403,   403,   401],
  'GET /daily-exports':                               [200,   200,   403,   200,   403,   403,   200,   403,   403,   LOGIN],
  'GET /daily-exports/{date}/{format}':               [303,   303,   403,   303,   403,   403,   303,   403,   403,   LOGIN],
  'POST /api/uploads':                                [201,   201,   403,   403,   403,   403,   403,   403,   403,   401],
  'POST /api/vouchers':                               [201,   201,   403,   403,   403,   403,   403,   403,   403,   401],
  'GET /api/vouchers':                                [200,   200,   200,   200,   200,   200,   200,   200,   200,   401],
  'GET /api/vouchers/{id}':                           [200,   200,   200,   200,   200,   404,   404,   404,   200,   401],
  'PUT /api/vouchers/{id}':                           [200,   404,   403,   403,   403,   403,   403,   403,   403,   401],
  'POST /api/delegations':                            [403,   403,   403,   403,   403,   403,   403,   403,   201,   401],
  'POST /api/proxy-assignments':                      [403,   403,   403,   403,   403,   403,   403,   403,   201,   401],
  'GET /api/proxy-assignments':                       [403,   200,   200,   200,   403,   403,   403,   403,   200,   401],
  'POST /api/delegations/{id}/revoke':                [403,   403,   403,   403,   403,   403,   403,   403,   200,   401],
  'POST /api/proxy-assignments/{id}/end':             [403,   403,   403,   403,   403,   403,   403,   403,   200,   401],
  'POST /api/vouchers/{id}/proxy-approvals':          [403,   403,   403,   403,   403,   403,   403,   403,   403,   401],
  'GET /api/countersigns':                            [200,   200,   200,   200,   200,   200,   200,   200,   200,   401],
  'GET /api/payment-runs':                            [403,   403,   200,   200,   200,   403,   403,   403,   200,   401],
  'GET /api/payment-runs/{date}':                     [403,   403,   200,   200,   200,   403,   403,   403,   200,   401],
  'POST /api/payment-runs/{date}/bank-batch':         [403,   403,   403,   422,   200,   403,   403,   403,   403,   401],
  'GET /api/payment-runs/{date}/bank-batch/{batchId}': [403,  403,   403,   200,   200,   403,   403,   403,   403,   401],
  'GET /api/payment-runs/{date}/bank-batch/{batchId}/file': [403, 403, 403, 200,   200,   403,   403,   403,   403,   401],
  'POST /api/payment-runs/{date}/bank-batch/{batchId}/payments': [403, 403, 403, 403, 200, 403,   403,   403,   403,   401],
  'POST /api/vouchers/{id}/payment':                  [403,   403,   403,   403,   200,   403,   403,   403,   403,   401],
  'POST /api/vouchers/{id}/payment/pull-forward':     [403,   403,   403,   200,   200,   403,   403,   403,   403,   401],
  'POST /api/vouchers/{id}/payment/retry':            [403,   403,   403,   200,   403,   403,   403,   403,   403,   401],
  'POST /api/vouchers/{id}/payment/return':           [403,   403,   403,   200,   403,   403,   403,   403,   403,   401],
  'POST /api/vouchers/{id}/supplier-invoice':         [200,   403,   403,   200,   403,   403,   403,   403,   403,   401],
  'POST /api/vouchers/{id}/supplier-invoice/waiver':  [403,   403,   403,   200,   403,   403,   403,   403,   403,   401],
  'GET /api/supplier-invoices/missing':               [403,   403,   403,   200,   200,   403,   403,   403,   200,   401],
  'GET /countersign/{link}':                          [200,   200,   200,   200,   200,   200,   200,   200,   200,   400],
  'HEAD /countersign/{link}':                         [200,   200,   200,   200,   200,   200,   200,   200,   200,   400],
  'POST /countersign/{link}':                         [200,   200,   200,   200,   200,   200,   200,   200,   200,   400],
  'GET /proxy-refusal/{link}':                        [409,   200,   409,   409,   409,   409,   409,   409,   409,   400],
  'HEAD /proxy-refusal/{link}':                       [409,   200,   409,   409,   409,   409,   409,   409,   409,   400],
  'POST /proxy-refusal/{link}':                       [409,   200,   409,   409,   409,   409,   409,   409,   409,   400],
  'GET /approvals/{link}':                            [200,   200,   200,   200,   200,   200,   200,   200,   200,   400],
  'HEAD /approvals/{link}':                           [200,   200,   200,   200,   200,   200,   200,   200,   200,   400],
  'POST /approvals/{link}':                           [403,   200,   403,   403,   403,   403,   403,   403,   403,   400],
  'GET /':                                            [200,   200,   200,   200,   200,   200,   200,   200,   200,   LOGIN],
  'GET /login':                                       [200,   200,   200,   200,   200,   200,   200,   200,   200,   200],
  // Locally there is no provider: no callback to answer, and a refresh is the demo picker.
  'GET /auth/callback':                               [404,   404,   404,   404,   404,   404,   404,   404,   404,   404],
  'GET /auth/refresh':                                [LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN],
  'POST /logout':                                     [LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN],
  'GET /vouchers':                                    [200,   200,   200,   200,   200,   200,   200,   200,   200,   LOGIN],
  'GET /vouchers/new':                                [200,   200,   403,   403,   403,   403,   403,   403,   403,   LOGIN],
  'POST /vouchers/new':                               [303,   303,   403,   403,   403,   403,   403,   403,   403,   LOGIN],
  'GET /vouchers/export':                             [200,   200,   200,   200,   200,   200,   200,   200,   200,   LOGIN],
  'GET /vouchers/{id}':                               [200,   200,   200,   200,   200,   404,   404,   404,   200,   LOGIN],
  'GET /vouchers/{id}/print':                         [200,   200,   200,   200,   200,   404,   404,   404,   200,   LOGIN],
  'GET /vouchers/{id}/edit':                          [200,   404,   403,   403,   403,   403,   403,   403,   403,   LOGIN],
  'POST /vouchers/{id}/edit':                         [303,   404,   403,   403,   403,   403,   403,   403,   403,   LOGIN],
  'GET /evidence/{key+}':                             [302,   302,   302,   302,   302,   404,   404,   404,   302,   LOGIN],
  'GET /payment-runs':                                [303,   303,   303,   303,   303,   303,   303,   303,   303,   LOGIN],
  'GET /payment-runs/{date}':                         [403,   403,   200,   200,   200,   403,   403,   403,   200,   LOGIN],
  'POST /payment-runs/{date}':                        [403,   403,   403,   403,   303,   403,   403,   403,   403,   LOGIN],
  'POST /payment-runs/{date}/bank-batch':             [403,   403,   403,   422,   303,   403,   403,   403,   403,   LOGIN],
  'GET /payment-runs/{date}/bank-batch/{batchId}':    [403,   403,   403,   200,   200,   403,   403,   403,   403,   LOGIN],
  'POST /payment-runs/{date}/bank-batch/{batchId}':   [403,   403,   403,   403,   303,   403,   403,   403,   403,   LOGIN],
  'GET /payment-runs/{date}/bank-batch/{batchId}/file': [403,  403,   403,   200,   200,   403,   403,   403,   403,   LOGIN],
  'POST /vouchers/{id}/payment':                      [403,   403,   403,   303,   403,   403,   403,   403,   403,   LOGIN],
  'POST /vouchers/{id}/supplier-invoice':             [303,   403,   403,   303,   403,   403,   403,   403,   403,   LOGIN],
  'POST /vouchers/{id}/supplier-invoice/waiver':      [403,   403,   403,   303,   403,   403,   403,   403,   403,   LOGIN],
  'GET /supplier-invoices/missing':                   [403,   403,   403,   200,   200,   403,   403,   403,   200,   LOGIN],
  'POST /api/invoice-requests':                       [403,   403,   403,   403,   403,   201,   403,   403,   403,   401],
  'GET /api/invoice-requests':                        [403,   403,   200,   200,   403,   200,   200,   403,   200,   401],
  'POST /api/invoice-requests/import':                [403,   403,   403,   403,   403,   200,   403,   403,   403,   401],
  'GET /api/invoice-requests/{id}':                   [403,   403,   200,   200,   403,   200,   200,   403,   200,   401],
  'PUT /api/invoice-requests/{id}':                   [403,   403,   403,   403,   403,   200,   403,   403,   403,   401],
  'POST /api/invoice-requests/{id}/issue':            [403,   403,   403,   200,   403,   403,   200,   403,   403,   401],
  'POST /api/invoice-requests/{id}/return':           [403,   403,   403,   200,   403,   403,   200,   403,   403,   401],
  'POST /api/invoice-requests/{id}/red-letter':       [403,   403,   403,   200,   403,   403,   200,   403,   403,   401],
  'POST /api/invoice-requests/{id}/red-letter/dismiss': [403, 403,   403,   200,   403,   403,   200,   403,   403,   401],
  'POST /api/invoice-requests/{id}/delivery':         [403,   403,   403,   403,   403,   200,   403,   403,   403,   401],
  'GET /api/invoice-batches/{batchDate}':             [403,   403,   200,   200,   403,   200,   200,   403,   200,   401],
  'GET /api/invoice-batches/{batchDate}/application': [403,   403,   403,   200,   403,   403,   200,   403,   200,   401],
  'POST /api/invoice-batches/{batchDate}/issued':     [403,   403,   403,   200,   403,   403,   200,   403,   403,   401],
  'GET /invoice-requests':                            [403,   403,   200,   200,   403,   200,   200,   403,   200,   LOGIN],
  'GET /invoice-requests/new':                        [403,   403,   403,   403,   403,   200,   403,   403,   403,   LOGIN],
  'POST /invoice-requests/new':                       [403,   403,   403,   403,   403,   303,   403,   403,   403,   LOGIN],
  'GET /invoice-requests/{id}':                       [403,   403,   200,   200,   403,   200,   200,   403,   200,   LOGIN],
  'POST /invoice-requests/{id}':                      [403,   403,   403,   303,   403,   403,   303,   403,   403,   LOGIN],
  'GET /supplier-invoices/missing/export':            [403,   403,   403,   200,   200,   403,   403,   403,   200,   LOGIN],
  'GET /invoice-batches/{batchDate}':                 [403,   403,   200,   200,   403,   200,   200,   403,   200,   LOGIN],
  'POST /invoice-batches/{batchDate}':                [403,   403,   403,   303,   403,   403,   303,   403,   403,   LOGIN],
  'GET /invoice-batches/{batchDate}/application.xlsx': [403,  403,   403,   200,   403,   403,   200,   403,   200,   LOGIN],
  'GET /api/reconciliations/{week}':                  [200,   200,   403,   200,   403,   403,   403,   403,   403,   401],
  'POST /api/reconciliations/{week}/inputs':          [201,   201,   403,   403,   403,   403,   403,   403,   403,   401],
  'POST /api/reconciliations/{week}/run':             [202,   202,   403,   202,   403,   403,   403,   403,   403,   401],
  'GET /api/reconciliations/{week}/differences':      [200,   200,   403,   200,   403,   403,   403,   403,   403,   401],
  'POST /api/reconciliations/{week}/differences/{id}': [403,  403,   403,   200,   403,   403,   403,   403,   403,   401],
  'POST /api/reconciliations/{week}/sign-off':        [403,   403,   403,   200,   403,   403,   403,   403,   403,   401],
  'POST /api/reconciliations/{week}/reopen':          [403,   403,   403,   200,   403,   403,   403,   403,   403,   401],
  'GET /api/reconciliations/{week}/report':           [303,   303,   403,   303,   403,   403,   403,   403,   403,   401],
  'GET /api/reconciliations/{week}/sales-summary-template': [303, 303, 403, 303, 403,   403,   403,   403,   403,   401],
  'GET /reconciliations/{week}':                      [200,   200,   403,   200,   403,   403,   403,   403,   403,   LOGIN],
  'GET /reconciliations/{week}/report':               [303,   303,   403,   303,   403,   403,   403,   403,   403,   LOGIN],
  'GET /api/people':                                  [403,   403,   403,   403,   403,   403,   403,   403,   200,   401],
  'POST /api/people':                                 [403,   403,   403,   403,   403,   403,   403,   403,   201,   401],
  'GET /api/people/{email}':                          [403,   403,   403,   403,   403,   403,   403,   403,   200,   401],
  'PUT /api/people/{email}':                          [403,   403,   403,   403,   403,   403,   403,   403,   200,   401],
  'GET /api/delegations':                             [403,   403,   403,   403,   403,   403,   403,   403,   200,   401],
  'GET /api/entities':                                [403,   403,   403,   403,   403,   403,   403,   403,   200,   401],
  'POST /api/entities':                               [403,   403,   403,   403,   403,   403,   403,   403,   201,   401],
  'GET /api/entities/{id}':                           [403,   403,   403,   403,   403,   403,   403,   403,   200,   401],
  'PUT /api/entities/{id}':                           [403,   403,   403,   403,   403,   403,   403,   403,   200,   401],
  'GET /api/audit':                                   [403,   403,   403,   403,   403,   403,   403,   403,   200,   401],
  'GET /admin/people':                                [403,   403,   403,   403,   403,   403,   403,   403,   200,   LOGIN],
  'GET /admin/entities':                              [403,   403,   403,   403,   403,   403,   403,   403,   200,   LOGIN],
  'GET /admin/audit':                                 [403,   403,   403,   403,   403,   403,   403,   403,   200,   LOGIN],
  'GET /api/entities/{id}/policy':                    [403,   403,   403,   403,   403,   403,   403,   403,   200,   401],
  'POST /api/entities/{id}/policy':                   [403,   403,   403,   403,   403,   403,   403,   403,   201,   401],
  'POST /api/suppliers/{id}/changes':                 [403,   403,   403,   201,   403,   403,   403,   403,   201,   401],
  'GET /api/suppliers/{id}/changes':                  [403,   403,   403,   200,   403,   403,   200,   403,   200,   401],
  'POST /api/suppliers/{id}/changes/{changeId}/approve': [403, 403,   403,   200,   403,   403,   200,   403,   403,   401],
  'POST /api/suppliers/{id}/changes/{changeId}/reject': [403,  403,   403,   200,   403,   403,   200,   403,   403,   401],
  'GET /api/supplier-changes':                        [403,   403,   403,   200,   403,   403,   200,   403,   200,   401],
  'GET /admin/policy':                                [403,   403,   403,   403,   403,   403,   403,   403,   200,   LOGIN],
  'POST /admin/policy':                               [403,   403,   403,   403,   403,   403,   403,   403,   303,   LOGIN],
  'GET /admin/calendar/{year}':                       [403,   403,   403,   403,   403,   403,   403,   403,   200,   LOGIN],
  'POST /admin/calendar/{year}':                      [403,   403,   403,   403,   403,   403,   403,   403,   303,   LOGIN],
  'GET /supplier-changes':                            [403,   403,   403,   200,   403,   403,   200,   403,   200,   LOGIN],
  'POST /supplier-changes':                           [403,   403,   403,   303,   403,   403,   403,   403,   303,   LOGIN],
  'POST /supplier-changes/{id}/{changeId}/approve':   [403,   403,   403,   303,   403,   403,   303,   403,   403,   LOGIN],
  'POST /supplier-changes/{id}/{changeId}/reject':    [403,   403,   403,   303,   403,   403,   303,   403,   403,   LOGIN],
  'GET /admin/delegations':                           [403,   403,   403,   403,   403,   403,   403,   403,   200,   LOGIN],
  'POST /admin/delegations':                          [403,   403,   403,   403,   403,   403,   403,   403,   303,   LOGIN],
  'POST /admin/delegations/{id}/revoke':              [403,   403,   403,   403,   403,   403,   403,   403,   303,   LOGIN],
  'GET /admin/proxy-assignments':                     [403,   403,   403,   403,   403,   403,   403,   403,   200,   LOGIN],
  'POST /admin/proxy-assignments':                    [403,   403,   403,   403,   403,   403,   403,   403,   303,   LOGIN],
  'POST /admin/proxy-assignments/{id}/end':           [403,   403,   403,   403,   403,   403,   403,   403,   303,   LOGIN],
  'GET /api/calendar/{year}':                         [403,   403,   403,   403,   403,   403,   403,   403,   200,   401],
  'POST /api/calendar/overrides':                     [403,   403,   403,   403,   403,   403,   403,   403,   200,   401],
  'DELETE /api/calendar/overrides/{date}':            [403,   403,   403,   403,   403,   403,   403,   403,   200,   401],
  'POST /api/calendar/years/{year}':                  [403,   403,   403,   403,   403,   403,   403,   403,   200,   401],
  'GET /admin/people/new':                            [403,   403,   403,   403,   403,   403,   403,   403,   200,   LOGIN],
  'POST /admin/people/new':                           [403,   403,   403,   403,   403,   403,   403,   403,   303,   LOGIN],
  'GET /admin/people/{email}/edit':                   [403,   403,   403,   403,   403,   403,   403,   403,   200,   LOGIN],
  'POST /admin/people/{email}/edit':                  [403,   403,   403,   403,   403,   403,   403,   403,   303,   LOGIN],
  'GET /admin/entities/{id}/edit':                    [403,   403,   403,   403,   403,   403,   403,   403,   200,   LOGIN],
  'POST /admin/entities/{id}/edit':                   [403,   403,   403,   403,   403,   403,   403,   403,   303,   LOGIN],
  'GET /reconciliations/{week}/sales-summary-template': [303,  303,   403,   303,   403,   403,   403,   403,   403,   LOGIN],
  'GET /reconciliations':                             [200,   200,   403,   200,   403,   403,   403,   403,   403,   LOGIN],
  'GET /reconciliations/{week}/inputs/uploaded':      [303,   303,   403,   303,   403,   403,   403,   403,   403,   LOGIN],
  'POST /reconciliations/{week}/run':                 [303,   303,   403,   303,   403,   403,   403,   403,   403,   LOGIN],
  'POST /reconciliations/{week}/differences/{id}':    [403,   403,   403,   303,   403,   403,   403,   403,   403,   LOGIN],
  'POST /reconciliations/{week}/sign-off':            [403,   403,   403,   303,   403,   403,   403,   403,   403,   LOGIN],
  'POST /reconciliations/{week}/reopen':              [403,   403,   403,   303,   403,   403,   403,   403,   403,   LOGIN],
};

/** The demo entity as the entities API takes it. */
const entityBody = () => ({
  id: DEMO_ENTITY.id,
  name: DEMO_ENTITY.name,
  taxId: DEMO_ENTITY.taxId,
  bankAccounts: DEMO_ENTITY.bankAccounts,
  invoicing: DEMO_ENTITY.invoicing,
});

/**
 * Reconciliation weeks (POLICY 3.2, D11) in the states their routes act on: this week (inputs are
 * registered), one with its files registered (run), one READY with a difference (resolve, list, the
 * report), one READY with none (sign-off) and one signed off (reopen).
 */
const RECON_WEEKS = {
  current: '2026-11-16',
  registered: '2026-11-09',
  ready: '2026-11-02',
  clean: '2026-10-26',
  signed: '2026-10-19',
  /** Signed off, for the page's reopen form (the API's reopens the week above). */
  signedForPage: '2026-10-12',
} as const;
const RECON_SUMMARY_HEADER = 'orderId,supplierId,supplierName,amount,supplierPayable,completedAt';

async function reconUpload(email: string, purpose: 'sales-summary' | 'alipay-statement', body: Buffer) {
  const person = DEMO_PEOPLE.find((candidate) => candidate.email === email);
  if (!person) throw new Error(`no demo person ${email}`);
  return storeUploadedFile(server.runtime.deps, person, {
    fileName: purpose === 'sales-summary' ? 'summary.csv' : 'alipay.csv',
    contentType: 'text/csv',
    body,
    purpose,
  });
}

/** A week with an empty statement and a summary of these lines registered (run and settled when asked). */
async function reconWeek(week: string, lines: string[], then: 'registered' | 'ready' | 'signed') {
  const deps = server.runtime.deps;
  const merchandiser = DEMO_PEOPLE.find((p) => p.email === PERSON_OF_ROLE.MERCHANDISER);
  const finance = DEMO_PEOPLE.find((p) => p.email === PERSON_OF_ROLE.FINANCE_REVIEWER);
  if (!merchandiser || !finance) throw new Error('no demo merchandiser or finance');
  const sunday = addDays(week, 6);
  await registerInput(deps, merchandiser, week, {
    kind: 'SALES_SUMMARY',
    uploadKey: await reconUpload(
      merchandiser.email,
      'sales-summary',
      Buffer.from(`${[RECON_SUMMARY_HEADER, ...lines].join('\n')}\n`),
    ),
  });
  await registerInput(deps, finance, week, {
    kind: 'ALIPAY_STATEMENT',
    uploadKey: await reconUpload(
      finance.email,
      'alipay-statement',
      gbk(accountLogText({ from: `${week}T00:00:00+08:00`, to: `${sunday}T23:59:59+08:00`, rows: [] })),
    ),
  });
  if (then === 'registered') return;
  await runReconciliation(deps, finance, week);
  await server.runtime.engine.settled();
  if (then === 'signed') await signOff(deps, finance, week);
}

/** One cell's request: the person sending it (undefined: nobody), and the voucher it acts on. */
interface Cell {
  column: Column;
  email: string | undefined;
  voucher: string;
  /** Unique within the run (supplier ids, idempotency keys, bank references). */
  unique: string;
}

interface Request {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | FormData;
}

/**
 * How to send each route validly. `fixture`: the state of the voucher it acts on; `fresh`: a request
 * that succeeds uses its voucher up, so each cell that should succeed (`accepted`), or every cell
 * (`every`), gets its own voucher; the others share one.
 */
interface Case {
  fixture?: { state: VoucherState; fresh?: 'accepted' | 'every' };
  request(cell: Cell): Request | Promise<Request>;
}

let server: RunningRuntime;
let world: DemoWorld;
const handedOut = Object.fromEntries(VOUCHER_STATES.map((state) => [state, 1])) as Record<
  VoucherState,
  number
>;
const runId = Date.now().toString().slice(-6);
let uniques = 0;

const json = (
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Request => ({
  method,
  path,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});
const form = (path: string, fields: Record<string, string | Blob>): Request => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (value instanceof Blob) data.append(name, value, 'order.png');
    else data.append(name, value);
  }
  return { method: 'POST', path, body: data };
};
/** A signed-in page's plain form (application/x-www-form-urlencoded), as a browser sends it. */
const pageForm = (path: string, fields: Record<string, string>): Request => ({
  method: 'POST',
  path,
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});
const isMerchandiser = (email: string | undefined) =>
  DEMO_PEOPLE.some((person) => person.email === email && person.roles.includes('MERCHANDISER'));

/** An upload by `email` (when they may upload), else li.na's spare order screenshot. */
async function uploaded(
  email: string | undefined,
  file: { contentType: string; body: Buffer; purpose?: string },
) {
  const token = email ? world.tokens[email] : undefined;
  if (!token) return world.evidenceKey;
  const response = await server.api('/api/uploads', {
    ...json('POST', '', {
      fileName: file.contentType === 'message/rfc822' ? 'consent.eml' : 'order.png',
      contentType: file.contentType,
      size: file.body.length,
      ...(file.purpose ? { purpose: file.purpose } : {}),
    }),
    token,
  });
  if (response.status !== 201) return world.evidenceKey;
  const upload = (await response.json()) as { key: string; uploadUrl: string };
  await fetch(upload.uploadUrl, {
    method: 'PUT',
    headers: { 'content-type': file.contentType },
    body: new Uint8Array(file.body),
  });
  return upload.key;
}

const evidenceOf = (email: string | undefined) =>
  isMerchandiser(email) ? uploaded(email, { contentType: 'image/png', body: TINY_PNG }) : world.evidenceKey;

async function voucherBody(email: string | undefined) {
  return {
    supplierId: 'SUP-HZ-TEXTILE',
    payee: { name: '杭州织锦服饰有限公司', account: TEXTILE_ACCOUNT, bank: '中国工商银行杭州西湖支行' },
    amount: '100.00',
    orderIds: ['LS-20261116-0001'],
    goods: '秋冬女装',
    evidence: [await evidenceOf(email)],
  };
}

/** The link in this person's name; nobody's is a tampered one (its signature's last character changed). */
function linkOf(cell: Cell, purpose: 'decide' | 'countersign' | 'refuse-proxy'): string {
  const link = world.link({ approver: cell.email ?? HEAD, voucherId: cell.voucher, purpose });
  if (cell.email) return link;
  // A forged link: its signature's first character changed. (The last character of a base64url MAC
  // also carries padding bits, so changing only those would leave the same signature, 1 time in 16.)
  const at = link.lastIndexOf('.') + 1;
  return `${link.slice(0, at)}${link[at] === 'A' ? 'B' : 'A'}${link.slice(at + 1)}`;
}

/** A refusal link in this person's name for a voucher of its own that the head's proxy approved. */
async function refusalLinkOf(cell: Cell): Promise<string> {
  return linkOf({ ...cell, voucher: await world.proxiedVoucher() }, 'refuse-proxy');
}

/**
 * The form of a link's page as the person's browser sends it, with the nonce the page carries (bound
 * to the link; a page with nothing to countersign has no form, the nonce is the same).
 */
function linkForm(path: string, fields: Record<string, string>): Request {
  const nonce = formNonce(path.split('/')[2] ?? '', world.secrets.linkKey);
  return {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ nonce, confirm: 'yes', ...fields }).toString(),
  };
}

const invoice = (unique: string) => ({
  type: 'VAT_SPECIAL',
  number: `2544200000${unique.padStart(10, '0').slice(-10)}`,
  issuedOn: TODAY,
  amount: '100.00',
  taxAmount: '11.50',
});
const REASON = { reason: '供应商今天急需 the supplier needs it today' };

/**
 * A bank file of today's run, exported by the cashier over the API with every voucher waiting in it
 * (the cell's own fresh voucher among them): its batch id.
 */
async function bankFile(): Promise<string> {
  const response = await fetch(`${server.runtime.url}/api/payment-runs/${TODAY}/bank-batch`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${world.tokens[PERSON_OF_ROLE.CASHIER]}`,
    },
    body: JSON.stringify({ format: 'csv', includeExported: true }),
  });
  await response.arrayBuffer();
  const id = response.headers.get('x-bank-file-id');
  if (response.status !== 200 || !id) throw new Error(`the cashier's export: ${response.status}`);
  return id;
}

/** One file for the routes that only read one. */
let sharedBankFile: Promise<string> | undefined;
const readBankFile = () => {
  sharedBankFile ??= bankFile();
  return sharedBankFile;
};

const bankFileRows = (voucher: string, unique: string) => ({
  rows: [{ voucherId: voucher, bankReference: `ICBC-MATRIX-BULK-${unique}`, paidOn: TODAY }],
});

const CASES: Record<string, Case> = {
  'GET /health': { request: () => ({ method: 'GET', path: '/health' }) },
  'GET /api/reconciliations/{week}': {
    request: () => ({ method: 'GET', path: `/api/reconciliations/${RECON_WEEKS.current}` }),
  },
  'POST /api/reconciliations/{week}/inputs': {
    // The cell's own summary where it may upload one; another's elsewhere (refused before it is read).
    request: async (cell) => {
      const mayUpload = cell.column === 'MERCHANDISER' || cell.column === 'HEAD_OF_MERCHANDISING';
      const uploadKey = await reconUpload(
        mayUpload && cell.email ? cell.email : PERSON_OF_ROLE.MERCHANDISER,
        'sales-summary',
        Buffer.from(`${RECON_SUMMARY_HEADER}\n`),
      );
      return json('POST', `/api/reconciliations/${RECON_WEEKS.current}/inputs`, {
        kind: 'SALES_SUMMARY',
        uploadKey,
      });
    },
  },
  'POST /api/reconciliations/{week}/run': {
    request: () => json('POST', `/api/reconciliations/${RECON_WEEKS.registered}/run`, {}),
  },
  'GET /api/reconciliations/{week}/differences': {
    request: () => ({ method: 'GET', path: `/api/reconciliations/${RECON_WEEKS.ready}/differences` }),
  },
  'POST /api/reconciliations/{week}/differences/{id}': {
    request: () =>
      json('POST', `/api/reconciliations/${RECON_WEEKS.ready}/differences/NOT_IN_PLATFORM:MATRIX-1`, {
        resolution: 'EXPLAINED',
        note: '测试订单 a test order',
      }),
  },
  'POST /api/reconciliations/{week}/sign-off': {
    request: () => json('POST', `/api/reconciliations/${RECON_WEEKS.clean}/sign-off`, {}),
  },
  'POST /api/reconciliations/{week}/reopen': {
    request: () => json('POST', `/api/reconciliations/${RECON_WEEKS.signed}/reopen`, REASON),
  },
  'GET /api/reconciliations/{week}/sales-summary-template': {
    request: () => ({
      method: 'GET',
      path: `/api/reconciliations/${RECON_WEEKS.current}/sales-summary-template?format=xlsx`,
    }),
  },
  'GET /reconciliations/{week}': {
    request: () => ({ method: 'GET', path: `/reconciliations/${RECON_WEEKS.ready}` }),
  },
  'GET /reconciliations/{week}/report': {
    request: () => ({ method: 'GET', path: `/reconciliations/${RECON_WEEKS.ready}/report` }),
  },
  'GET /reconciliations': { request: () => ({ method: 'GET', path: '/reconciliations' }) },
  'GET /reconciliations/{week}/sales-summary-template': {
    request: () => ({
      method: 'GET',
      path: `/reconciliations/${RECON_WEEKS.current}/sales-summary-template?format=csv`,
    }),
  },
  'GET /reconciliations/{week}/inputs/uploaded': {
    // Where the bucket sends the browser after a form upload: the cell's own file where it may upload
    // one (a summary, finance a statement); li.na's elsewhere (refused by role before it is read).
    request: async (cell) => {
      const finance = cell.column === 'FINANCE_REVIEWER';
      const merchandising = cell.column === 'MERCHANDISER' || cell.column === 'HEAD_OF_MERCHANDISING';
      const sunday = addDays(RECON_WEEKS.current, 6);
      const key = finance
        ? await reconUpload(
            cell.email ?? PERSON_OF_ROLE.MERCHANDISER,
            'alipay-statement',
            gbk(
              accountLogText({
                from: `${RECON_WEEKS.current}T00:00:00+08:00`,
                to: `${sunday}T23:59:59+08:00`,
                rows: [],
              }),
            ),
          )
        : await reconUpload(
            merchandising && cell.email ? cell.email : PERSON_OF_ROLE.MERCHANDISER,
            'sales-summary',
            Buffer.from(`${RECON_SUMMARY_HEADER}\n`),
          );
      const query = new URLSearchParams({
        kind: finance ? 'ALIPAY_STATEMENT' : 'SALES_SUMMARY',
        bucket: 'local',
        key,
        etag: '"matrix"',
      });
      return { method: 'GET', path: `/reconciliations/${RECON_WEEKS.current}/inputs/uploaded?${query}` };
    },
  },
  'POST /reconciliations/{week}/run': {
    request: () => form(`/reconciliations/${RECON_WEEKS.registered}/run`, {}),
  },
  'POST /reconciliations/{week}/differences/{id}': {
    request: () =>
      form(`/reconciliations/${RECON_WEEKS.ready}/differences/NOT_IN_PLATFORM:MATRIX-2`, {
        resolution: 'EXPLAINED',
        note: '测试订单 a test order',
      }),
  },
  'POST /reconciliations/{week}/sign-off': {
    request: () => form(`/reconciliations/${RECON_WEEKS.clean}/sign-off`, {}),
  },
  'POST /reconciliations/{week}/reopen': {
    request: () => form(`/reconciliations/${RECON_WEEKS.signedForPage}/reopen`, REASON),
  },
  'GET /api/reconciliations/{week}/report': {
    request: () => ({ method: 'GET', path: `/api/reconciliations/${RECON_WEEKS.ready}/report?format=xlsx` }),
  },
  'GET /api/people': { request: () => ({ method: 'GET', path: '/api/people' }) },
  'POST /api/people': {
    request: ({ unique }) =>
      json('POST', '/api/people', {
        email: `matrix.${unique}@lianshang.example`,
        name: '矩阵测试 Matrix',
        entityId: DEMO_ENTITY.id,
        roles: ['CUSTOMER_SERVICE'],
        active: true,
      }),
  },
  'GET /api/people/{email}': {
    request: () => ({ method: 'GET', path: '/api/people/zhao.min@lianshang.example' }),
  },
  // The customer service person as they are (a repeat: allowed means 200, nothing written).
  'PUT /api/people/{email}': {
    request: () =>
      json('PUT', '/api/people/zhao.min@lianshang.example', {
        email: 'zhao.min@lianshang.example',
        name: '赵敏 Zhao Min',
        entityId: DEMO_ENTITY.id,
        roles: ['CUSTOMER_SERVICE'],
        active: true,
      }),
  },
  'GET /api/delegations': {
    request: () => ({ method: 'GET', path: '/api/delegations?from=wu.fang@lianshang.example' }),
  },
  'GET /api/entities': { request: () => ({ method: 'GET', path: '/api/entities' }) },
  'GET /api/audit': { request: () => ({ method: 'GET', path: '/api/audit?actor=li.na@lianshang.example' }) },
  'GET /admin/people': { request: () => ({ method: 'GET', path: '/admin/people' }) },
  'GET /admin/entities': { request: () => ({ method: 'GET', path: '/admin/entities' }) },
  'GET /admin/audit': {
    request: () => ({ method: 'GET', path: '/admin/audit?actor=li.na@lianshang.example' }),
  },
  'GET /admin/people/new': { request: () => ({ method: 'GET', path: '/admin/people/new' }) },
  'POST /admin/people/new': {
    request: ({ unique }) =>
      pageForm('/admin/people/new', {
        email: `matrix.page.${unique}@lianshang.example`,
        name: '矩阵测试 Matrix',
        roles: 'CUSTOMER_SERVICE',
        active: 'yes',
      }),
  },
  'GET /admin/people/{email}/edit': {
    request: () => ({ method: 'GET', path: '/admin/people/zhao.min@lianshang.example/edit' }),
  },
  // The customer service person as they are (a repeat: allowed means 303, nothing written).
  'POST /admin/people/{email}/edit': {
    request: () =>
      pageForm('/admin/people/zhao.min@lianshang.example/edit', {
        name: '赵敏 Zhao Min',
        roles: 'CUSTOMER_SERVICE',
        active: 'yes',
      }),
  },
  'GET /admin/entities/{id}/edit': {
    request: () => ({ method: 'GET', path: `/admin/entities/${DEMO_ENTITY.id}/edit` }),
  },
  // The entity as seeded (a repeat: allowed means 303, nothing written).
  'POST /admin/entities/{id}/edit': {
    request: () =>
      pageForm(`/admin/entities/${DEMO_ENTITY.id}/edit`, {
        name: DEMO_ENTITY.name,
        taxId: DEMO_ENTITY.taxId,
        'bankName.0': DEMO_ENTITY.bankAccounts?.[0]?.bankName ?? '',
        'account.0': DEMO_ENTITY.bankAccounts?.[0]?.account ?? '',
        primaryAccount: '0',
        itemName: DEMO_ENTITY.invoicing?.itemName ?? '',
        taxCode: DEMO_ENTITY.invoicing?.taxCode ?? '',
        taxRatePercent: String(DEMO_ENTITY.invoicing?.taxRatePercent ?? ''),
      }),
  },
  'POST /api/entities': {
    request: ({ unique }) =>
      json('POST', '/api/entities', { ...entityBody(), id: `matrix-${unique}`, name: '矩阵测试有限公司' }),
  },
  'GET /api/entities/{id}': { request: () => ({ method: 'GET', path: `/api/entities/${DEMO_ENTITY.id}` }) },
  // The entity as seeded (a repeat: allowed means 200, nothing written).
  'PUT /api/entities/{id}': {
    request: () => json('PUT', `/api/entities/${DEMO_ENTITY.id}`, entityBody()),
  },
  'POST /api/suppliers': {
    request: ({ unique }) =>
      json('POST', '/api/suppliers', {
        id: `SUP-MATRIX-${unique}`,
        name: '苏州矩阵测试有限公司',
        bankAccount: '6222 1111 2222 3333',
        bankName: '中国银行苏州分行',
        accountType: 'CORPORATE',
      }),
  },
  'GET /api/suppliers/{id}': { request: () => ({ method: 'GET', path: '/api/suppliers/SUP-HZ-TEXTILE' }) },
  'POST /api/orders/import': {
    request: ({ unique }) => ({
      method: 'POST',
      path: '/api/orders/import',
      headers: { 'content-type': 'text/csv' },
      body: [
        'orderId,supplierId,amount,supplierPayable,receiptConfirmedAt,fundsCreditedAt,disputeStatus',
        `LS-MATRIX-${unique},SUP-HZ-TEXTILE,1000.00,900.00,2026-11-16T10:12:00+08:00,2026-11-17T09:30:00+08:00,NONE`,
      ].join('\n'),
    }),
  },
  'GET /api/orders/{id}': { request: () => ({ method: 'GET', path: '/api/orders/LS-20261116-0001' }) },
  'POST /api/uploads': {
    request: () =>
      json('POST', '/api/uploads', {
        fileName: 'order.png',
        contentType: 'image/png',
        size: TINY_PNG.length,
      }),
  },
  'POST /api/vouchers': {
    request: async ({ email, unique }) =>
      json('POST', '/api/vouchers', await voucherBody(email), { 'idempotency-key': `matrix-${unique}` }),
  },
  'GET /api/vouchers': { request: () => ({ method: 'GET', path: '/api/vouchers?mine=true' }) },
  'GET /api/vouchers/{id}': {
    fixture: { state: 'ready' },
    request: ({ voucher }) => ({ method: 'GET', path: `/api/vouchers/${voucher}` }),
  },
  'PUT /api/vouchers/{id}': {
    fixture: { state: 'rejected', fresh: 'accepted' },
    request: async ({ email, voucher, unique }) =>
      json('PUT', `/api/vouchers/${voucher}`, await voucherBody(email), {
        'idempotency-key': `matrix-${unique}`,
      }),
  },
  'POST /api/delegations': {
    request: () =>
      json('POST', '/api/delegations', {
        from: 'wu.fang@lianshang.example',
        to: 'tech@lianshang.example',
        validFrom: TODAY,
        validTo: '2026-11-25',
        reason: '出差 away on business',
      }),
  },
  'POST /api/vouchers/{id}/proxy-approvals': {
    fixture: { state: 'waiting', fresh: 'every' },
    request: async ({ email, voucher }) => {
      const eml = Buffer.from(
        [
          `From: 王强 <${HEAD}>`,
          `Subject: 同意付款 ${voucher}`,
          'Content-Type: text/plain; charset=utf-8',
          '',
          `I approve voucher ${voucher} for 100.00 to 杭州织锦服饰有限公司.`,
        ].join('\r\n'),
      );
      const consentEmail = await uploaded(email, {
        contentType: 'message/rfc822',
        body: eml,
        purpose: 'consent-email',
      });
      return json('POST', `/api/vouchers/${voucher}/proxy-approvals`, {
        step: 'HEAD_OF_MERCHANDISING',
        consentEmail,
      });
    },
  },
  'POST /api/proxy-assignments': {
    request: () =>
      json('POST', '/api/proxy-assignments', {
        approver: HEAD,
        proxy: 'sun.hao@lianshang.example',
        from: TODAY,
        to: '2026-11-30',
        reason: '出差 travelling to Guangzhou',
      }),
  },
  'GET /api/proxy-assignments': {
    request: () => ({ method: 'GET', path: `/api/proxy-assignments?approver=${encodeURIComponent(HEAD)}` }),
  },
  // Each cell revokes or ends one of its own (zhou.lei delegates nothing the other rows use; he is
  // the CEO's proxy for no row either).
  'POST /api/delegations/{id}/revoke': {
    request: async () => {
      const delegation = await ownDelegation();
      return json('POST', `/api/delegations/${delegation.id}/revoke`, { from: delegation.from });
    },
  },
  'POST /api/proxy-assignments/{id}/end': {
    request: async () => {
      const assignment = await ownProxyAssignment();
      return json('POST', `/api/proxy-assignments/${assignment.id}/end`, { approver: assignment.approver });
    },
  },
  'GET /api/countersigns': { request: () => ({ method: 'GET', path: '/api/countersigns' }) },
  'GET /api/payment-runs': { request: () => ({ method: 'GET', path: '/api/payment-runs' }) },
  'GET /api/payment-runs/{date}': { request: () => ({ method: 'GET', path: `/api/payment-runs/${TODAY}` }) },
  'POST /api/payment-runs/{date}/bank-batch': {
    fixture: { state: 'ready' },
    request: () =>
      json('POST', `/api/payment-runs/${TODAY}/bank-batch`, { format: 'csv', includeExported: true }),
  },
  'GET /api/payment-runs/{date}/bank-batch/{batchId}': {
    fixture: { state: 'ready' },
    request: async () => ({
      method: 'GET',
      path: `/api/payment-runs/${TODAY}/bank-batch/${await readBankFile()}`,
    }),
  },
  'GET /api/payment-runs/{date}/bank-batch/{batchId}/file': {
    fixture: { state: 'ready' },
    request: async () => ({
      method: 'GET',
      path: `/api/payment-runs/${TODAY}/bank-batch/${await readBankFile()}/file`,
    }),
  },
  'POST /api/payment-runs/{date}/bank-batch/{batchId}/payments': {
    fixture: { state: 'ready', fresh: 'accepted' },
    request: async ({ voucher, unique }) =>
      json(
        'POST',
        `/api/payment-runs/${TODAY}/bank-batch/${await bankFile()}/payments`,
        bankFileRows(voucher, unique),
      ),
  },
  'POST /api/vouchers/{id}/payment': {
    fixture: { state: 'ready', fresh: 'accepted' },
    request: ({ voucher, unique }) =>
      json('POST', `/api/vouchers/${voucher}/payment`, {
        status: 'PAID',
        bankReference: `ICBC-MATRIX-${unique}`,
        paidOn: TODAY,
      }),
  },
  'POST /api/vouchers/{id}/payment/pull-forward': {
    fixture: { state: 'afternoon', fresh: 'accepted' },
    request: ({ voucher }) => json('POST', `/api/vouchers/${voucher}/payment/pull-forward`, REASON),
  },
  'POST /api/vouchers/{id}/payment/retry': {
    fixture: { state: 'failed', fresh: 'accepted' },
    request: ({ voucher }) => json('POST', `/api/vouchers/${voucher}/payment/retry`, REASON),
  },
  'POST /api/vouchers/{id}/payment/return': {
    fixture: { state: 'failed', fresh: 'accepted' },
    request: ({ voucher }) => json('POST', `/api/vouchers/${voucher}/payment/return`, REASON),
  },
  'POST /api/vouchers/{id}/supplier-invoice': {
    fixture: { state: 'paid', fresh: 'accepted' },
    request: ({ voucher, unique }) =>
      json('POST', `/api/vouchers/${voucher}/supplier-invoice`, invoice(unique)),
  },
  'POST /api/vouchers/{id}/supplier-invoice/waiver': {
    fixture: { state: 'paid', fresh: 'accepted' },
    request: ({ voucher }) => json('POST', `/api/vouchers/${voucher}/supplier-invoice/waiver`, REASON),
  },
  'GET /api/supplier-invoices/missing': {
    request: () => ({ method: 'GET', path: '/api/supplier-invoices/missing' }),
  },
  'GET /api/daily-exports': {
    request: () => ({ method: 'GET', path: `/api/daily-exports?from=${EXPORT_DAY}&to=${TODAY}` }),
  },
  'GET /api/daily-exports/{date}': {
    request: () => ({ method: 'GET', path: `/api/daily-exports/${EXPORT_DAY}` }),
  },
  'GET /api/daily-exports/{date}/{format}': {
    request: () => ({ method: 'GET', path: `/api/daily-exports/${EXPORT_DAY}/xlsx` }),
  },
  'GET /daily-exports': { request: () => ({ method: 'GET', path: '/daily-exports' }) },
  'GET /daily-exports/{date}/{format}': {
    request: () => ({ method: 'GET', path: `/daily-exports/${EXPORT_DAY}/csv` }),
  },
  'GET /countersign/{link}': { request: (cell) => ({ method: 'GET', path: linkOf(cell, 'countersign') }) },
  'HEAD /countersign/{link}': { request: (cell) => ({ method: 'HEAD', path: linkOf(cell, 'countersign') }) },
  'POST /countersign/{link}': { request: (cell) => linkForm(linkOf(cell, 'countersign'), { reason: '' }) },
  'GET /proxy-refusal/{link}': {
    request: async (cell) => ({ method: 'GET', path: await refusalLinkOf(cell) }),
  },
  'HEAD /proxy-refusal/{link}': {
    request: async (cell) => ({ method: 'HEAD', path: await refusalLinkOf(cell) }),
  },
  'POST /proxy-refusal/{link}': {
    request: async (cell) => linkForm(await refusalLinkOf(cell), { reason: '我没有同意 I did not agree' }),
  },
  'GET /approvals/{link}': {
    fixture: { state: 'waiting' },
    request: (cell) => ({ method: 'GET', path: linkOf(cell, 'decide') }),
  },
  'HEAD /approvals/{link}': {
    fixture: { state: 'waiting' },
    request: (cell) => ({ method: 'HEAD', path: linkOf(cell, 'decide') }),
  },
  'POST /approvals/{link}': {
    fixture: { state: 'waiting', fresh: 'accepted' },
    request: (cell) => linkForm(linkOf(cell, 'decide'), { decision: 'APPROVE', reason: '' }),
  },
  'GET /': { request: () => ({ method: 'GET', path: '/' }) },
  'GET /login': { request: () => ({ method: 'GET', path: '/login' }) },
  'GET /auth/callback': { request: () => ({ method: 'GET', path: '/auth/callback?code=x&state=y' }) },
  'GET /auth/refresh': { request: () => ({ method: 'GET', path: '/auth/refresh' }) },
  'POST /logout': { request: () => ({ method: 'POST', path: '/logout' }) },
  'GET /vouchers': { request: () => ({ method: 'GET', path: '/vouchers' }) },
  'GET /vouchers/new': { request: () => ({ method: 'GET', path: '/vouchers/new' }) },
  'POST /vouchers/new': {
    request: ({ unique }) =>
      form('/vouchers/new', {
        idempotencyKey: `matrix-page-${unique}`,
        supplierId: 'SUP-HZ-TEXTILE',
        payeeName: '杭州织锦服饰有限公司',
        payeeAccount: TEXTILE_ACCOUNT,
        payeeBank: '中国工商银行杭州西湖支行',
        amount: '100.00',
        orderIds: 'LS-20261116-0001',
        goods: '秋冬女装',
        evidence: new Blob([TINY_PNG], { type: 'image/png' }),
      }),
  },
  'GET /vouchers/export': { request: () => ({ method: 'GET', path: '/vouchers/export' }) },
  'GET /vouchers/{id}/print': {
    fixture: { state: 'ready' },
    request: ({ voucher }) => ({ method: 'GET', path: `/vouchers/${voucher}/print` }),
  },
  'GET /vouchers/{id}/edit': {
    fixture: { state: 'rejected' },
    request: ({ voucher, unique }) => ({
      method: 'GET',
      path: `/vouchers/${voucher}/edit?form=matrix-edit-${unique}`,
    }),
  },
  'POST /vouchers/{id}/edit': {
    fixture: { state: 'rejected', fresh: 'accepted' },
    request: ({ voucher, unique }) =>
      form(`/vouchers/${voucher}/edit`, {
        idempotencyKey: `matrix-edit-${unique}`,
        version: '1',
        supplierId: 'SUP-HZ-TEXTILE',
        payeeName: '杭州织锦服饰有限公司',
        payeeAccount: '**** **** 5678',
        payeeBank: '中国工商银行杭州西湖支行',
        amount: '100.00',
        orderIds: 'LS-20261116-0001',
        goods: '秋冬女装',
        evidence: new Blob([TINY_PNG], { type: 'image/png' }),
      }),
  },
  'GET /vouchers/{id}': {
    fixture: { state: 'ready' },
    request: ({ voucher }) => ({ method: 'GET', path: `/vouchers/${voucher}` }),
  },
  'GET /evidence/{key+}': {
    request: () => ({
      method: 'GET',
      path: `/evidence/${world.evidenceKey.split('/').map(encodeURIComponent).join('/')}`,
    }),
  },
  'GET /payment-runs': { request: () => ({ method: 'GET', path: '/payment-runs' }) },
  'GET /payment-runs/{date}': { request: () => ({ method: 'GET', path: `/payment-runs/${TODAY}` }) },
  'POST /payment-runs/{date}': {
    fixture: { state: 'ready', fresh: 'accepted' },
    request: ({ voucher, unique }) =>
      form(`/payment-runs/${TODAY}`, {
        voucherId: voucher,
        action: 'paid',
        bankReference: `ICBC-MATRIX-PAGE-${unique}`,
        paidOn: TODAY,
      }),
  },
  'POST /payment-runs/{date}/bank-batch': {
    fixture: { state: 'ready' },
    request: () => form(`/payment-runs/${TODAY}/bank-batch`, { format: 'csv', includeExported: 'yes' }),
  },
  'GET /payment-runs/{date}/bank-batch/{batchId}': {
    fixture: { state: 'ready' },
    request: async () => ({
      method: 'GET',
      path: `/payment-runs/${TODAY}/bank-batch/${await readBankFile()}`,
    }),
  },
  'POST /payment-runs/{date}/bank-batch/{batchId}': {
    fixture: { state: 'ready', fresh: 'accepted' },
    request: async ({ voucher, unique }) =>
      form(`/payment-runs/${TODAY}/bank-batch/${await bankFile()}`, {
        [`ref-${voucher}`]: `ICBC-MATRIX-BULK-PAGE-${unique}`,
        [`on-${voucher}`]: TODAY,
      }),
  },
  'GET /payment-runs/{date}/bank-batch/{batchId}/file': {
    fixture: { state: 'ready' },
    request: async () => ({
      method: 'GET',
      path: `/payment-runs/${TODAY}/bank-batch/${await readBankFile()}/file`,
    }),
  },
  'POST /vouchers/{id}/payment': {
    fixture: { state: 'failed', fresh: 'accepted' },
    request: ({ voucher }) => form(`/vouchers/${voucher}/payment`, { action: 'retry', ...REASON }),
  },
  'POST /vouchers/{id}/supplier-invoice': {
    fixture: { state: 'paid', fresh: 'accepted' },
    request: ({ voucher, unique }) => form(`/vouchers/${voucher}/supplier-invoice`, invoice(unique)),
  },
  'POST /vouchers/{id}/supplier-invoice/waiver': {
    fixture: { state: 'paid', fresh: 'accepted' },
    request: ({ voucher }) => form(`/vouchers/${voucher}/supplier-invoice/waiver`, REASON),
  },
  'GET /supplier-invoices/missing': {
    request: () => ({ method: 'GET', path: '/supplier-invoices/missing' }),
  },
  'POST /api/invoice-requests': {
    request: async ({ unique }) =>
      json('POST', '/api/invoice-requests', invoiceRequestBody(await freshOrder(unique)), {
        'idempotency-key': `matrix-invoice-${unique}`,
      }),
  },
  'GET /api/invoice-requests': {
    request: () => ({ method: 'GET', path: '/api/invoice-requests?status=QUEUED' }),
  },
  'POST /api/invoice-requests/import': {
    request: async ({ unique }) => ({
      method: 'POST',
      path: '/api/invoice-requests/import',
      headers: { 'content-type': 'text/csv' },
      body: [
        INVOICE_REQUEST_CSV_COLUMNS.join(','),
        `${await freshOrder(unique)},VAT_ORDINARY,INDIVIDUAL,张三,,,,,,,EMAIL,buyer@example.com,,,,`,
      ].join('\n'),
    }),
  },
  'GET /api/invoice-requests/{id}': {
    request: async ({ unique }) => ({
      method: 'GET',
      path: `/api/invoice-requests/${await invoiceFixture(unique, 'QUEUED')}`,
    }),
  },
  'PUT /api/invoice-requests/{id}': {
    request: async ({ unique }) => {
      const id = await invoiceFixture(unique, 'RETURNED');
      const request = await server.runtime.deps.store.invoiceRequests.get(id);
      return json('PUT', `/api/invoice-requests/${id}`, invoiceRequestBody(request?.orderIds[0] ?? ''));
    },
  },
  'POST /api/invoice-requests/{id}/issue': {
    request: async ({ unique }) =>
      json('POST', `/api/invoice-requests/${await invoiceFixture(unique, 'WITH_FINANCE')}/issue`, {
        invoiceNumber: `2635${unique.padStart(16, '0').slice(-16)}`,
        issuedOn: TODAY,
      }),
  },
  'POST /api/invoice-requests/{id}/return': {
    request: async ({ unique }) =>
      json('POST', `/api/invoice-requests/${await invoiceFixture(unique, 'WITH_FINANCE')}/return`, REASON),
  },
  'POST /api/invoice-requests/{id}/red-letter': {
    request: async ({ unique }) =>
      json('POST', `/api/invoice-requests/${await invoiceFixture(unique, 'FLAGGED')}/red-letter`, {
        confirmationNumber: `3501${unique.padStart(16, '0').slice(-16)}`,
        reasonCode: '02',
        redInvoiceNumber: `2637${unique.padStart(16, '0').slice(-16)}`,
        issuedOn: TODAY,
      }),
  },
  'POST /api/invoice-requests/{id}/red-letter/dismiss': {
    request: async ({ unique }) =>
      json(
        'POST',
        `/api/invoice-requests/${await invoiceFixture(unique, 'FLAGGED')}/red-letter/dismiss`,
        REASON,
      ),
  },
  'GET /invoice-requests': { request: () => ({ method: 'GET', path: '/invoice-requests?status=QUEUED' }) },
  'GET /invoice-requests/new': { request: () => ({ method: 'GET', path: '/invoice-requests/new' }) },
  'POST /invoice-requests/new': {
    request: async ({ unique }) => ({
      method: 'POST',
      path: '/invoice-requests/new',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        idempotencyKey: `matrix-invoice-page-${unique}`,
        orderIds: await freshOrder(unique),
        kind: 'VAT_ORDINARY',
        buyerType: 'INDIVIDUAL',
        buyerName: '张三',
        deliveryMethod: 'EMAIL',
        deliveryEmail: 'buyer@example.com',
      }).toString(),
    }),
  },
  'GET /invoice-requests/{id}': {
    request: async ({ unique }) => ({
      method: 'GET',
      path: `/invoice-requests/${await invoiceFixture(unique, 'QUEUED')}`,
    }),
  },
  'POST /invoice-requests/{id}': {
    request: async ({ unique }) => ({
      method: 'POST',
      path: `/invoice-requests/${await invoiceFixture(unique, 'WITH_FINANCE')}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ action: 'return', reason: '税号有误 wrong tax id' }).toString(),
    }),
  },
  'GET /api/invoice-batches/{batchDate}': {
    request: () => ({ method: 'GET', path: `/api/invoice-batches/${CLOSED_BATCH}` }),
  },
  'GET /invoice-batches/{batchDate}': {
    request: () => ({ method: 'GET', path: `/invoice-batches/${CLOSED_BATCH}` }),
  },
  'POST /invoice-batches/{batchDate}': {
    // A line of its own in the batch of today (the fixture's batch), returned from the batch page.
    request: async ({ unique }) =>
      form(`/invoice-batches/${TODAY}`, {
        action: 'return',
        requestId: await invoiceFixture(unique, 'WITH_FINANCE'),
        reason: '税号有误 wrong tax id',
      }),
  },
  'GET /invoice-batches/{batchDate}/application.xlsx': {
    request: async () => ({
      method: 'GET',
      path: `/invoice-batches/${await closedBatch()}/application.xlsx`,
    }),
  },
  'GET /api/invoice-batches/{batchDate}/application': {
    request: async () => ({
      method: 'GET',
      path: `/api/invoice-batches/${await closedBatch()}/application?format=xlsx`,
    }),
  },
  'POST /api/invoice-batches/{batchDate}/issued': {
    request: async () => ({
      method: 'POST',
      path: `/api/invoice-batches/${await closedBatch()}/issued`,
      headers: { 'content-type': 'text/csv' },
      body: '发票流水号,发票号码,开票日期\n',
    }),
  },
  'POST /api/invoice-requests/{id}/delivery': {
    request: async ({ unique }) =>
      json('POST', `/api/invoice-requests/${await invoiceFixture(unique, 'ISSUED')}/delivery`, {
        method: 'EMAIL',
        sentTo: 'buyer@example.com',
        sentOn: TODAY,
      }),
  },
  'GET /supplier-invoices/missing/export': {
    request: () => ({ method: 'GET', path: '/supplier-invoices/missing/export' }),
  },
  'GET /api/entities/{id}/policy': {
    request: () => ({ method: 'GET', path: `/api/entities/${DEMO_ENTITY.id}/policy` }),
  },
  'POST /api/suppliers/{id}/changes': {
    request: ({ unique }) =>
      json('POST', '/api/suppliers/SUP-HZ-TEXTILE/changes', {
        name: '杭州织锦服饰有限公司',
        bankAccount: `6222 0202 ${unique.padStart(8, '0').slice(-8)}`,
        bankName: '中国工商银行杭州滨江支行',
        accountType: 'CORPORATE',
      }),
  },
  'GET /api/suppliers/{id}/changes': {
    request: () => ({ method: 'GET', path: '/api/suppliers/SUP-HZ-TEXTILE/changes' }),
  },
  'POST /api/suppliers/{id}/changes/{changeId}/approve': {
    request: async ({ unique }) => {
      const { supplierId, changeId } = await changeToReview(unique);
      return { method: 'POST', path: `/api/suppliers/${supplierId}/changes/${changeId}/approve` };
    },
  },
  'POST /api/suppliers/{id}/changes/{changeId}/reject': {
    request: async ({ unique }) => {
      const { supplierId, changeId } = await changeToReview(unique);
      return json('POST', `/api/suppliers/${supplierId}/changes/${changeId}/reject`, {
        reason: '供应商未确认 the supplier did not confirm',
      });
    },
  },
  'GET /api/supplier-changes': { request: () => ({ method: 'GET', path: '/api/supplier-changes' }) },
  'GET /admin/policy': { request: () => ({ method: 'GET', path: '/admin/policy' }) },
  'POST /admin/policy': {
    request: () =>
      urlencoded('/admin/policy', {
        ...Object.fromEntries(EDITABLE_POLICY_SETTINGS.map((key) => [key, String(DEFAULT_POLICY[key])])),
        ceoThresholdFen: '500000.00',
        amountCeilingFen: '100000000.00',
        invoiceBatchDays: '10, 25',
        effectiveFrom: '2027-07-01',
      }),
  },
  'GET /admin/delegations': {
    request: () => ({ method: 'GET', path: '/admin/delegations?from=wu.fang%40lianshang.example' }),
  },
  'POST /admin/delegations': {
    request: () =>
      urlencoded('/admin/delegations', {
        from: 'wu.fang@lianshang.example',
        to: 'tech@lianshang.example',
        validFrom: TODAY,
        validTo: '2026-11-25',
        reason: '出差 away on business',
      }),
  },
  'POST /admin/delegations/{id}/revoke': {
    request: async () => {
      const delegation = await ownDelegation();
      return urlencoded(`/admin/delegations/${delegation.id}/revoke`, { from: delegation.from });
    },
  },
  'GET /admin/proxy-assignments': {
    request: () => ({
      method: 'GET',
      path: `/admin/proxy-assignments?approver=${encodeURIComponent(HEAD)}`,
    }),
  },
  'POST /admin/proxy-assignments': {
    request: () =>
      urlencoded('/admin/proxy-assignments', {
        approver: 'zhang.wei@lianshang.example',
        proxy: 'zhou.lei@lianshang.example',
        from: TODAY,
        to: '2026-11-30',
        reason: '出差 travelling',
      }),
  },
  'POST /admin/proxy-assignments/{id}/end': {
    request: async () => {
      const assignment = await ownProxyAssignment();
      return urlencoded(`/admin/proxy-assignments/${assignment.id}/end`, { approver: assignment.approver });
    },
  },
  'GET /supplier-changes': { request: () => ({ method: 'GET', path: '/supplier-changes' }) },
  'POST /supplier-changes': {
    request: ({ unique }) =>
      urlencoded('/supplier-changes', {
        supplierId: 'SUP-HZ-TEXTILE',
        name: '杭州织锦服饰有限公司',
        bankAccount: `6222 0303 ${unique.padStart(8, '0').slice(-8)}`,
        bankName: '中国工商银行杭州滨江支行',
        accountType: 'CORPORATE',
      }),
  },
  'POST /supplier-changes/{id}/{changeId}/approve': {
    request: async ({ unique }) => {
      const { supplierId, changeId } = await changeToReview(unique);
      return urlencoded(`/supplier-changes/${supplierId}/${changeId}/approve`, {});
    },
  },
  'POST /supplier-changes/{id}/{changeId}/reject': {
    request: async ({ unique }) => {
      const { supplierId, changeId } = await changeToReview(unique);
      return urlencoded(`/supplier-changes/${supplierId}/${changeId}/reject`, {
        reason: '供应商未确认 the supplier did not confirm',
      });
    },
  },
  'GET /admin/calendar/{year}': { request: () => ({ method: 'GET', path: '/admin/calendar/2026' }) },
  'POST /admin/calendar/{year}': {
    request: () =>
      urlencoded('/admin/calendar/2027', { date: '2027-12-19', working: 'true', reason: '盘点 stocktaking' }),
  },
  'GET /api/calendar/{year}': { request: () => ({ method: 'GET', path: '/api/calendar/2026' }) },
  // A day far from any computed date (the year's last Sunday made working), so nothing needs confirming.
  'POST /api/calendar/overrides': {
    request: () =>
      json('POST', '/api/calendar/overrides', {
        date: '2027-12-26',
        working: true,
        reason: '盘点 stocktaking',
      }),
  },
  'DELETE /api/calendar/overrides/{date}': {
    request: async ({ column }) => {
      const date = `2028-12-${String(COLUMNS.indexOf(column) + 1).padStart(2, '0')}`;
      // An override of its own to remove, set by the administrator through the use case.
      await setCalendarOverride(server.runtime.deps, ADMIN_PERSON(), {
        date,
        working: false,
        reason: '盘点 stocktaking',
      });
      return { method: 'DELETE', path: `/api/calendar/overrides/${date}` };
    },
  },
  'POST /api/calendar/years/{year}': {
    request: () =>
      json('POST', '/api/calendar/years/2029', {
        source: '国务院办公厅通知 State Council notice (test copy)',
        holidays: ['2029-01-01'],
        workdays: [],
      }),
  },
  'POST /api/entities/{id}/policy': {
    request: () =>
      json('POST', `/api/entities/${DEMO_ENTITY.id}/policy`, {
        ...POLICY_NUMBERS,
        effectiveFrom: '2027-06-01',
      }),
  },
};

/** A page's form as the browser sends it (urlencoded). */
const urlencoded = (path: string, fields: Record<string, string>): Request => ({
  method: 'POST',
  path,
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

/** A supplier of its own with a change the administrator asked for: what one cell reviews (D8). */
async function changeToReview(unique: string): Promise<{ supplierId: string; changeId: string }> {
  const deps = server.runtime.deps;
  const supplierId = `SUP-MATRIX-CHG-${unique}`;
  await saveSupplier(deps, ADMIN_PERSON(), {
    id: supplierId,
    name: '苏州矩阵变更有限公司',
    bankAccount: '6222 1111 2222 3333',
    bankName: '中国银行苏州分行',
    accountType: 'CORPORATE',
  });
  const change = await requestSupplierChange(deps, ADMIN_PERSON(), supplierId, {
    name: '苏州矩阵变更有限公司',
    bankAccount: '6222 1111 2222 4444',
    bankName: '中国银行苏州分行',
    accountType: 'CORPORATE',
  });
  return { supplierId, changeId: change.id };
}

/** A delegation of its own, for one cell to revoke (D18). */
const ownDelegation = () =>
  addDelegation(server.runtime.deps, ADMIN_PERSON(), {
    from: 'zhou.lei@lianshang.example',
    to: 'tech@lianshang.example',
    validFrom: TODAY,
    validTo: '2026-11-25',
    reason: '出差 away on business',
  });

/** A proxy assignment of its own, for one cell to end early (D6). */
const ownProxyAssignment = () =>
  addProxyAssignment(server.runtime.deps, ADMIN_PERSON(), {
    approver: 'zhang.wei@lianshang.example',
    proxy: 'zhou.lei@lianshang.example',
    from: TODAY,
    to: '2026-11-30',
    reason: '出差 travelling',
  });

const ADMIN_PERSON = () => {
  const admin = DEMO_PEOPLE.find((person) => person.roles.includes('ADMIN'));
  if (!admin) throw new Error('the demo has no administrator');
  return admin;
};

/** A whole policy version's numbers, as the defaults have them (D17). */
const POLICY_NUMBERS = Object.fromEntries(EDITABLE_POLICY_SETTINGS.map((key) => [key, DEFAULT_POLICY[key]]));

/** The batch of the 10th, closed (the demo's today is the 18th): what finance's file and result act on. */
const CLOSED_BATCH = '2026-11-10';
async function closedBatch(): Promise<string> {
  await closeBatch(server.runtime.deps, { entityId: DEMO_ENTITY.id, batchDate: CLOSED_BATCH });
  return CLOSED_BATCH;
}

/** A settled platform order of its own for a cell's invoice request (an order is invoiced once). */
async function freshOrder(unique: string): Promise<string> {
  const orderId = `LS-MINV-${unique}`;
  const at = '2026-11-16T10:00:00.000+08:00';
  await server.runtime.deps.store.orders.save(
    {
      orderId,
      supplierId: 'SUP-HZ-TEXTILE',
      amountFen: 100_000,
      supplierPayableFen: 90_000,
      receiptConfirmedAt: at,
      fundsCreditedAt: at,
      disputeStatus: 'NONE',
      claimedFen: 0,
      importedAt: at,
      updatedAt: at,
      version: 1,
    },
    null,
    { at, actor: 'matrix', type: 'ORDER_IMPORTED', version: 1 },
  );
  return orderId;
}

const invoiceRequestBody = (orderId: string) => ({
  orderIds: [orderId],
  kind: 'VAT_ORDINARY',
  buyer: { type: 'INDIVIDUAL', name: '张三' },
  delivery: { method: 'EMAIL', email: 'buyer@example.com' },
});

/** An invoice request of its own in the given state, as the batch and finance would leave it. */
async function invoiceFixture(
  unique: string,
  state: 'QUEUED' | 'WITH_FINANCE' | 'RETURNED' | 'ISSUED' | 'FLAGGED',
) {
  const deps = server.runtime.deps;
  const customerService = await deps.store.people.get(PERSON_OF_ROLE.CUSTOMER_SERVICE);
  const finance = await deps.store.people.get(PERSON_OF_ROLE.FINANCE_INVOICING);
  if (!customerService || !finance) throw new Error('demo directory incomplete');
  const { request } = await recordInvoiceRequest(deps, customerService, {
    ...(invoiceRequestBody(await freshOrder(unique)) as InvoiceRequestInput),
    idempotencyKey: `matrix-fixture-${unique}`,
  });
  if (state === 'QUEUED') return request.id;
  await changeInvoiceRequest(deps, request.id, (read) => ({
    action: 'SEND_TO_FINANCE',
    actor: 'WORKFLOW',
    // As if its batch closed today.
    next: { ...read, status: 'WITH_FINANCE', batchDate: TODAY },
    event: {
      at: toShanghaiIso(deps.clock.now()),
      actor: 'fundflow',
      type: 'INVOICE_REQUEST_SENT_TO_FINANCE',
      version: read.revision + 1,
    },
  }));
  if (state === 'RETURNED') await returnInvoiceRequest(deps, finance, request.id, '税号有误 wrong tax id');
  if (state === 'ISSUED' || state === 'FLAGGED') {
    await issueInvoice(deps, finance, request.id, {
      invoiceNumber: `2636${unique.padStart(16, '0').slice(-16)}`,
      issuedOn: TODAY,
    });
  }
  if (state === 'FLAGGED') {
    // As if an order import had refunded its order (issue 13 §4).
    await changeInvoiceRequest(deps, request.id, (read) => {
      const at = toShanghaiIso(deps.clock.now());
      const orderId = read.orderIds[0] ?? '';
      return {
        action: 'FLAG_RED_LETTER',
        actor: 'WORKFLOW',
        next: {
          ...read,
          redLetter: {
            status: 'FLAGGED',
            flaggedAt: at,
            triggers: [{ orderId, what: 'REFUNDED', amountFen: 100, at }],
          },
        },
        event: { at, actor: 'fundflow', type: 'INVOICE_RED_LETTER_FLAGGED', version: read.revision + 1 },
      };
    });
  }
  return request.id;
}

const routeKeys = routes.map((route) => `${route.method} ${route.path}`);
const emailOf = (column: Column) => (column === 'none' ? undefined : PERSON_OF_ROLE[column]);
const accepted = (expected: Expected) => typeof expected === 'number' && expected < 400;

/** The cells of a route that get a voucher of their own (see `Case.fresh`). */
function freshCells(key: string): Column[] {
  const fresh = CASES[key]?.fixture?.fresh;
  const row = EXPECTED[key];
  if (!fresh || !row) return [];
  return COLUMNS.filter(
    (column, index) => (fresh === 'every' && column !== 'none') || accepted(row[index] as Expected),
  );
}

/** What a cell answered: its status, or LOGIN for a redirect to the sign-in page. */
async function send(key: string, column: Column, request: Request): Promise<Expected> {
  const auth = routes.find((route) => `${route.method} ${route.path}` === key)?.auth;
  const email = emailOf(column);
  const token = email ? world.tokens[email] : undefined;
  const headers = new Headers(request.headers);
  if (token && auth !== 'session') headers.set('authorization', `Bearer ${token}`);
  if (token && auth !== 'jwt') headers.set('cookie', `fundflow_session=${token}`);
  if (request.method === 'POST' && auth !== 'jwt') {
    // As a browser sends a form of the app's own page.
    headers.set('origin', server.runtime.url);
    headers.set('sec-fetch-site', 'same-origin');
  }
  const response = await fetch(`${server.runtime.url}${request.path}`, {
    method: request.method,
    headers,
    ...(request.body !== undefined ? { body: request.body } : {}),
    redirect: 'manual',
  });
  await response.arrayBuffer();
  await server.runtime.engine.settled();
  return response.status === 303 && response.headers.get('location') === '/login' ? LOGIN : response.status;
}

beforeAll(async () => {
  server = await startRuntime();
  // One shared voucher of each state, and one more for each cell that gets its own.
  const counts = Object.fromEntries(VOUCHER_STATES.map((state) => [state, 1])) as Record<
    VoucherState,
    number
  >;
  for (const [key, kase] of Object.entries(CASES)) {
    if (kase.fixture) counts[kase.fixture.state] += freshCells(key).length;
  }
  world = await buildDemoWorld(server, counts);
  // The daily export of the day before, so reading it is a request that succeeds for those allowed.
  const ran = await server.api('/api/dev/jobs/daily-export', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ date: EXPORT_DAY }),
  });
  if (ran.status !== 200) throw new Error(`daily export: ${ran.status} ${await ran.text()}`);
  await reconWeek(RECON_WEEKS.registered, [], 'registered');
  await reconWeek(
    RECON_WEEKS.ready,
    // MATRIX-1 for the API's resolve, MATRIX-2 for the page's.
    [
      `MATRIX-1,SUP-HZ-TEXTILE,杭州织锦服饰有限公司,10.00,9.00,${RECON_WEEKS.ready}T10:00:00+08:00`,
      `MATRIX-2,SUP-HZ-TEXTILE,杭州织锦服饰有限公司,10.00,9.00,${RECON_WEEKS.ready}T10:00:00+08:00`,
    ],
    'ready',
  );
  await reconWeek(RECON_WEEKS.clean, [], 'ready');
  await reconWeek(RECON_WEEKS.signed, [], 'signed');
  await reconWeek(RECON_WEEKS.signedForPage, [], 'signed');
}, 240_000);

afterAll(async () => {
  await server?.runtime.stop();
});

describe('the authorization matrix', () => {
  it('has a row and a valid request for every route of lib/http/routes.ts, and no other', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...routeKeys].sort());
    expect(Object.keys(CASES).sort()).toEqual([...routeKeys].sort());
  });

  it.each(routeKeys)('answers %s to each role as the table says', async (key) => {
    const kase = CASES[key];
    const row = EXPECTED[key];
    if (!kase || !row) throw new Error(`${key} has no row in EXPECTED`);
    const state = kase.fixture?.state;
    const fresh = new Set(freshCells(key));
    const actual = {} as Record<Column, Expected>;
    // The cells expected to be refused go first: a refusal changes nothing the others act on.
    const order = [...COLUMNS].sort((a, b) => Number(fresh.has(a)) - Number(fresh.has(b)));
    for (const column of order) {
      // Each state's first voucher is shared by the cells that use none up; the others are handed out.
      const voucher = state ? world.vouchers[state][fresh.has(column) ? handedOut[state]++ : 0] : '';
      uniques += 1;
      const cell: Cell = {
        column,
        email: emailOf(column),
        voucher: voucher ?? '',
        unique: `${runId}${uniques}`,
      };
      actual[column] = await send(key, column, await kase.request(cell));
    }

    expect(COLUMNS.map((column) => `${column}: ${actual[column]}`)).toEqual(
      COLUMNS.map((column, index) => `${column}: ${row[index]}`),
    );
  });
});
