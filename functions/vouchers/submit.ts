import * as z from 'zod';
import type { AppDeps } from '#lib/app.ts';
import { ValidationError } from '#lib/domain/errors.ts';
import { apiHandler, json } from '#lib/http/api-handler.ts';
import { functions } from '#lib/http/routes.ts';
import { evidence } from '#lib/runtime/adapters/evidence.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';
import { submitVoucherBody } from '#lib/vouchers/schemas.ts';
import { submitVoucher } from '#lib/vouchers/submit-voucher.ts';
import { voucherView } from '#lib/vouchers/voucher-view.ts';

const idempotencyKey = z
  .string({ message: 'the Idempotency-Key header is required' })
  .trim()
  .min(8, 'the Idempotency-Key header needs at least 8 characters')
  .max(128)
  .regex(/^[A-Za-z0-9._:-]+$/, 'Idempotency-Key: letters, digits and . _ : - only');

export function idempotencyKeyFrom(headers: Record<string, string | undefined>): string {
  const key = idempotencyKey.safeParse(headers['idempotency-key']);
  if (!key.success) {
    const message = key.error.issues[0]?.message ?? 'invalid Idempotency-Key';
    throw new ValidationError(message, { issues: [{ path: 'headers.idempotency-key', message }] });
  }
  return key.data;
}

export const createHandler = (deps: AppDeps) =>
  apiHandler(deps, { body: submitVoucherBody }, async ({ body, headers, caller }) => {
    const { voucher, replayed } = await submitVoucher(deps, caller, {
      ...body,
      idempotencyKey: idempotencyKeyFrom(headers),
    });
    return json(201, voucherView(voucher, caller), replayed ? { 'idempotent-replayed': 'true' } : {});
  });

export const handler = lambdaHandler(functions.submitVoucher, { table, evidence }, createHandler);
