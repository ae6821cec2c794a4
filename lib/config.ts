/**
 * Configuration, parsed once with zod at cold start (or when the local runtime starts). Each key is
 * described where it is declared; infra/ sets the same names on every function.
 */
import { z } from 'zod';

export const configSchema = z.object({
  TABLE_NAME: z.string().min(1).describe('The one DynamoDB table (lib/storage/table-definition.ts).'),
  EVIDENCE_BUCKET: z
    .string()
    .min(1)
    .optional()
    .describe('S3 bucket holding evidence files; absent in functions that do not touch evidence.'),
  DYNAMODB_ENDPOINT: z
    .url()
    .optional()
    .describe('Endpoint override for DynamoDB (DynamoDB Local); unset in AWS.'),
  AWS_REGION: z.string().min(1).default('cn-north-1').describe('Region of the table and bucket.'),
  SIGN_IN_ISSUER: z
    .url()
    .optional()
    .describe(
      "Issuer whose ID tokens sign people in to the pages: the user pool's, or the company's OIDC provider (AWS only).",
    ),
  SIGN_IN_CLIENT_ID: z
    .string()
    .min(1)
    .optional()
    .describe("That provider's app client for fundflow (AWS only)."),
  SIGN_IN_LOGOUT_URL: z
    .url()
    .optional()
    .describe("Cognito managed login's /logout; unset: the provider's end_session_endpoint."),
  SIGN_IN_KEY_SECRET_ARN: z
    .string()
    .min(1)
    .optional()
    .describe('Secrets Manager secret the sign-in cookies are encrypted with (the sign-in function only).'),
  MAIL_TRANSPORT: z
    .enum(['ses', 'smtp'])
    .default('ses')
    .describe('How mail leaves: SES, or the company SMTP server (CDK context fundflow:mailer).'),
  SMTP_SECRET_ARN: z
    .string()
    .min(1)
    .optional()
    .describe('Secrets Manager secret with the SMTP server: host, port, username, password, tls.'),
  STATE_MACHINE_ARN: z
    .string()
    .min(1)
    .optional()
    .describe(
      'The approval workflow (its task functions, and the outbox dispatcher and sweep that start and answer it).',
    ),
  MAIL_FROM: z.string().min(3).optional().describe("Sender address of fundflow's emails (an SES identity)."),
  LINK_KEY_SECRET_ARN: z
    .string()
    .min(1)
    .optional()
    .describe('Secrets Manager secret holding the HMAC key of approval links.'),
  PUBLIC_BASE_URL: z.url().optional().describe('The URL emails link to (the API, or its custom domain).'),
});

export type Config = z.infer<typeof configSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return configSchema.parse(env);
}
