import { functions } from '#lib/http/routes.ts';
import { evidence } from '#lib/runtime/adapters/evidence.ts';
import { sessions } from '#lib/runtime/adapters/sessions.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';
import { uploadsPages } from '#lib/uploads/pages.ts';

export const createHandler = uploadsPages;
export const handler = lambdaHandler(functions.uploadsPages, { table, evidence, sessions }, createHandler);
