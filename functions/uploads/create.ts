import * as z from 'zod';
import type { AppDeps } from '#lib/app.ts';
import { apiHandler, json } from '#lib/http/api-handler.ts';
import { typedText } from '#lib/http/input.ts';
import { functions } from '#lib/http/routes.ts';
import { evidence } from '#lib/runtime/adapters/evidence.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';
import { createUpload, UPLOAD_PURPOSES } from '#lib/uploads/create-upload.ts';

export const createUploadBody = z.strictObject({
  fileName: typedText({ what: 'fileName', max: 200 }),
  contentType: z.string().trim().toLowerCase().min(3).max(100),
  size: z.number().int('size is a whole number of bytes').positive(),
  purpose: z.enum(UPLOAD_PURPOSES).default('evidence'),
});

export const createHandler = (deps: AppDeps) =>
  apiHandler(deps, { body: createUploadBody }, async ({ body, caller }) =>
    json(201, await createUpload(deps, caller, body)),
  );

export const handler = lambdaHandler(functions.createUpload, { table, evidence }, createHandler);
