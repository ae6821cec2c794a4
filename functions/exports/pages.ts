import { exportsPages } from '#lib/exports/pages.ts';
import { functions } from '#lib/http/routes.ts';
import { evidence } from '#lib/runtime/adapters/evidence.ts';
import { sessions } from '#lib/runtime/adapters/sessions.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';

export const createHandler = exportsPages;
export const handler = lambdaHandler(functions.exportsPages, { table, evidence, sessions }, createHandler);
