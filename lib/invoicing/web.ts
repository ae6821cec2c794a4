/**
 * The invoicing JSON API (POLICY 4; D12, D13) of invoice requests — the same use cases and input
 * shapes (lib/invoicing/schemas.ts) as the pages (lib/invoicing/pages.ts), which are apart, so the
 * JSON function never carries them (lib/ui, preact).
 */

import * as z from 'zod';
import type { AppDeps } from '../app.ts';
import { UnsupportedMediaTypeError, ValidationError } from '../domain/errors.ts';
import { attachment, json } from '../http/api-handler.ts';
import { idempotencyKeyFrom, localDate, recordId } from '../http/input.ts';
import { lazySchema } from '../http/lazy-schema.ts';
import { apiFunction, jwt } from '../http/router.ts';
import { invoicingApiRoutes } from '../http/routes.ts';
import { applicationFile, invoiceBatch, recordBatchResult } from './batches.ts';
import { importInvoiceRequests } from './import-requests.ts';
import { dismissRedLetter, recordRedLetter } from './red-letter.ts';
import {
  correctInvoiceRequest,
  getInvoiceRequest,
  invoiceRequestHistory,
  issueInvoice,
  listInvoiceRequests,
  recordDelivery,
  recordInvoiceRequest,
  returnInvoiceRequest,
} from './requests.ts';
import {
  deliveryBody,
  dismissRedLetterBody,
  invoiceRequestBody,
  issueBody,
  listQuery,
  redLetterBody,
  returnBody,
} from './schemas.ts';
import { invoiceRequestView } from './view.ts';

export const requestIdParams = lazySchema(() => z.object({ id: recordId('invoice request id') }));
export const batchParams = lazySchema(() => z.object({ batchDate: localDate }));
const applicationQuery = lazySchema(() =>
  z.strictObject({
    format: z.literal('xlsx', { message: '格式为 xlsx the format is xlsx' }).default('xlsx'),
  }),
);

/** The bytes of a request body (API Gateway base64-encodes what is not text). */
const bodyBytes = (event: { body?: string | undefined; isBase64Encoded: boolean }): Buffer =>
  Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');

export const invoicingApi = (deps: AppDeps) => {
  const view = (request: Parameters<typeof invoiceRequestView>[0]) =>
    invoiceRequestView(request, deps.clock.now());
  return apiFunction(deps, invoicingApiRoutes, {
    recordRequest: jwt({ body: invoiceRequestBody }, async ({ body, headers, caller }) => {
      const { request, replayed } = await recordInvoiceRequest(deps, caller, {
        ...body,
        idempotencyKey: idempotencyKeyFrom(headers),
      });
      return json(201, view(request), replayed ? { 'idempotent-replayed': 'true' } : {});
    }),
    listRequests: jwt({ query: listQuery }, async ({ query, caller }) => {
      const page = await listInvoiceRequests(deps, caller, query);
      return json(200, { items: page.items.map(view), nextCursor: page.nextCursor });
    }),
    getRequest: jwt({ params: requestIdParams }, async ({ params, caller }) => {
      const request = await getInvoiceRequest(deps, caller, params.id);
      const history = await invoiceRequestHistory(deps, caller, params.id);
      return json(200, { ...view(request), history });
    }),
    correctRequest: jwt(
      { params: requestIdParams, body: invoiceRequestBody },
      async ({ params, body, caller }) =>
        json(200, view(await correctInvoiceRequest(deps, caller, params.id, body))),
    ),
    importRequests: jwt({ body: 'text' }, async ({ body, headers, caller }) => {
      const contentType = headers['content-type'] ?? '';
      if (!contentType.startsWith('text/csv')) {
        throw new UnsupportedMediaTypeError(
          '请以 Content-Type: text/csv 发送开票申请。Send the invoice requests as Content-Type: text/csv.',
        );
      }
      return json(200, await importInvoiceRequests(deps, caller, body));
    }),
    issueInvoice: jwt({ params: requestIdParams, body: issueBody }, async ({ params, body, caller }) =>
      json(200, view(await issueInvoice(deps, caller, params.id, body))),
    ),
    returnRequest: jwt({ params: requestIdParams, body: returnBody }, async ({ params, body, caller }) =>
      json(200, view(await returnInvoiceRequest(deps, caller, params.id, body.reason))),
    ),
    recordRedLetter: jwt({ params: requestIdParams, body: redLetterBody }, async ({ params, body, caller }) =>
      json(200, view(await recordRedLetter(deps, caller, params.id, body))),
    ),
    dismissRedLetter: jwt(
      { params: requestIdParams, body: dismissRedLetterBody },
      async ({ params, body, caller }) =>
        json(200, view(await dismissRedLetter(deps, caller, params.id, body.reason))),
    ),
    recordDelivery: jwt({ params: requestIdParams, body: deliveryBody }, async ({ params, body, caller }) =>
      json(200, view(await recordDelivery(deps, caller, params.id, body))),
    ),
    getBatch: jwt({ params: batchParams }, async ({ params, caller }) =>
      json(200, await invoiceBatch(deps, caller, params.batchDate)),
    ),
    batchApplication: jwt({ params: batchParams, query: applicationQuery }, async ({ params, caller }) =>
      attachment(await applicationFile(deps, caller, params.batchDate)),
    ),
    /** The tax bureau's result: CSV or XLSX, told from its bytes (the declared type is not trusted). */
    recordBatchResult: jwt({ params: batchParams }, async ({ params, event, caller }) => {
      const file = bodyBytes(event);
      if (file.length === 0) {
        throw new ValidationError(
          '请把税务局的开具结果文件（CSV 或 XLSX）作为正文发送。Send the tax bureau’s result file (CSV or XLSX) as the body.',
          {
            issues: [{ path: 'body', message: '开具结果文件 the result file' }],
          },
        );
      }
      return json(200, await recordBatchResult(deps, caller, params.batchDate, file));
    }),
  });
};
