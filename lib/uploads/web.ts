/**
 * The uploads' JSON API: it issues a presigned upload. The pages' way to open a stored file is
 * lib/uploads/pages.ts.
 */

import * as z from 'zod';
import type { AppDeps } from '../app.ts';
import { json } from '../http/api-handler.ts';
import { typedText } from '../http/input.ts';
import { lazySchema } from '../http/lazy-schema.ts';
import { apiFunction, jwt } from '../http/router.ts';
import { uploadsApiRoutes } from '../http/routes.ts';
import { createUpload, UPLOAD_PURPOSES } from './create-upload.ts';

export const createUploadBody = lazySchema(() =>
  z.strictObject({
    fileName: typedText({ what: 'fileName', max: 200 }),
    contentType: z.string().trim().toLowerCase().min(3).max(100),
    size: z.number().int('size is a whole number of bytes').positive(),
    purpose: z.enum(UPLOAD_PURPOSES).default('evidence'),
  }),
);

export const uploadsApi = (deps: AppDeps) =>
  apiFunction(deps, uploadsApiRoutes, {
    createUpload: jwt({ body: createUploadBody }, async ({ body, caller }) =>
      json(201, await createUpload(deps, caller, body)),
    ),
  });
