import { functions } from '#lib/http/routes.ts';
import { createPagesHandler } from '#lib/pages/page-handler.ts';
import { evidence } from '#lib/runtime/adapters/evidence.ts';
import { mail } from '#lib/runtime/adapters/mail.ts';
import { sessions } from '#lib/runtime/adapters/sessions.ts';
import { table } from '#lib/runtime/adapters/table.ts';
import { lambdaHandler } from '#lib/runtime/lambda.ts';

export const createHandler = createPagesHandler;
export const handler = lambdaHandler(functions.pages, { table, evidence, mail, sessions }, createHandler);
