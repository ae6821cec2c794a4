/**
 * Configuration, parsed once with zod at cold start (lib/runtime/lambda.ts). Each key is described
 * where it is declared; which keys a function requires is decided by its needs (`configKeysFor`), the
 * same needs that make infra/ grant the resource and set the key (`FundflowFunction.bindNeeds`). A
 * function that lacks a key it needs fails its cold start with a message naming the key — never a
 * generic 500 at request time, never a silent `''`.
 */
import * as z from 'zod';
import type { FunctionSpec } from '../http/routes.ts';
import { stateMachineArnKey, stateMachines, WORKFLOW_NAMES } from '../workflow/catalogue.ts';

type Needs = FunctionSpec['needs'];

const text = () => z.string().trim().min(1);

/**
 * Every configuration key of fundflow's functions, each with its schema and what it is. Built only
 * for the keys a function requires, at its cold start (a schema costs time there; the others are
 * never read).
 */
const declared: Record<string, () => z.ZodType<string | undefined, string | undefined>> = {
  TABLE_NAME: () => text().describe('The one DynamoDB table (lib/storage/table-definition.ts). Need: table.'),
  EVIDENCE_BUCKET: () => text().describe('S3 bucket holding evidence files. Need: evidence.'),
  MAIL_FROM: () =>
    z
      .email()
      .describe(
        "Sender address of fundflow's emails (an SES identity, or one the SMTP server may send as). Need: mail.",
      ),
  MAIL_TRANSPORT: () =>
    z
      .enum(['ses', 'smtp'])
      .default('ses')
      .describe(
        'How mail leaves: SES, or the company SMTP server (CDK context fundflow:mailer). Need: mail.',
      ),
  SMTP_SECRET_ARN: () =>
    text()
      .optional()
      .describe(
        'Secrets Manager secret with the SMTP server: host, port, username, password, tls (read before the first message). Need: mail, with MAIL_TRANSPORT smtp.',
      ),
  LINK_KEY_SECRET_ARN: () =>
    text().describe(
      'Secrets Manager secret holding the HMAC key of approval links (fetched before the first request). Need: linkKey.',
    ),
  PUBLIC_BASE_URL: () =>
    z
      .url()
      .describe(
        'The URL emails link to, forms come from and the sign-in returns to (the API, or its custom domain). Needs: mail, linkKey, sessions, signIn.',
      ),
  SIGN_IN_ISSUER: () =>
    z
      .url()
      .describe(
        "Issuer whose ID tokens sign people in to the pages: the user pool's, or the company's OIDC provider. Needs: sessions, signIn.",
      ),
  SIGN_IN_CLIENT_ID: () =>
    text().describe(
      "That provider's app client for fundflow (the tokens' audience). Needs: sessions, signIn.",
    ),
  SIGN_IN_KEY_SECRET_ARN: () =>
    text().describe(
      'Secrets Manager secret the sign-in cookies are encrypted with (fetched before the first request). Need: signIn.',
    ),
  SIGN_IN_LOGOUT_URL: () =>
    z
      .url()
      .optional()
      .describe("Cognito managed login's /logout; unset: the provider's end_session_endpoint. Need: signIn."),
  USER_POOL_ID: () =>
    text()
      .optional()
      .describe(
        "The Cognito user pool people sign in with; unset where they sign in through the company's OIDC provider. Need: identityDirectory.",
      ),
  // One ARN per state machine of the catalogue: STATE_MACHINE_ARN_VOUCHER, …
  ...Object.fromEntries(
    WORKFLOW_NAMES.map((name) => [
      stateMachineArnKey(name),
      () =>
        text().describe(
          `The ${name} state machine (${stateMachines[name].executions}). Need: workflows.${name}.`,
        ),
    ]),
  ),
};

export type ConfigKey =
  | 'TABLE_NAME'
  | 'EVIDENCE_BUCKET'
  | 'MAIL_FROM'
  | 'MAIL_TRANSPORT'
  | 'SMTP_SECRET_ARN'
  | 'LINK_KEY_SECRET_ARN'
  | 'PUBLIC_BASE_URL'
  | 'SIGN_IN_ISSUER'
  | 'SIGN_IN_CLIENT_ID'
  | 'SIGN_IN_KEY_SECRET_ARN'
  | 'SIGN_IN_LOGOUT_URL'
  | 'USER_POOL_ID'
  | `STATE_MACHINE_ARN_${string}`;

/**
 * Keys a need may use that its function can do without: the logout URL (an OIDC provider has its
 * own `end_session_endpoint`), the mail transport (SES by default) and the SMTP secret (required
 * only with MAIL_TRANSPORT smtp, checked by `loadConfig`). Every other key of a need is required.
 */
export const OPTIONAL_CONFIG_KEYS: ReadonlySet<ConfigKey> = new Set([
  'SIGN_IN_LOGOUT_URL',
  'MAIL_TRANSPORT',
  'SMTP_SECRET_ARN',
  'USER_POOL_ID',
]);

/** A function's configuration: the keys its needs use, each required one present. */
export type Config = Readonly<Partial<Record<ConfigKey, string>>>;

/**
 * The keys a function with these needs uses (and infra/ may set, with the grant of each need): each
 * is required unless it is one of OPTIONAL_CONFIG_KEYS.
 */
export function configKeysFor(needs: Needs): ConfigKey[] {
  const keys = new Set<ConfigKey>();
  if (needs.table) keys.add('TABLE_NAME');
  if (needs.evidence) keys.add('EVIDENCE_BUCKET');
  if (needs.mail) keys.add('MAIL_FROM').add('PUBLIC_BASE_URL').add('MAIL_TRANSPORT').add('SMTP_SECRET_ARN');
  if (needs.linkKey) keys.add('LINK_KEY_SECRET_ARN').add('PUBLIC_BASE_URL');
  if (needs.sessions) keys.add('SIGN_IN_ISSUER').add('SIGN_IN_CLIENT_ID').add('PUBLIC_BASE_URL');
  if (needs.signIn) {
    keys.add('SIGN_IN_ISSUER').add('SIGN_IN_CLIENT_ID').add('SIGN_IN_KEY_SECRET_ARN').add('PUBLIC_BASE_URL');
    keys.add('SIGN_IN_LOGOUT_URL');
  }
  if (needs.identityDirectory) keys.add('USER_POOL_ID');
  for (const name of Object.keys(needs.workflows ?? {})) keys.add(stateMachineArnKey(name));
  return [...keys];
}

/** A function's configuration could not be read: it names every key that is missing or malformed. */
export class ConfigError extends Error {}

/** The configuration of a function with these needs, from its environment; throws ConfigError. */
export function loadConfig(needs: Needs, env: NodeJS.ProcessEnv = process.env): Config {
  const required = configKeysFor(needs);
  const unknown = required.filter((key) => !declared[key]);
  if (unknown.length > 0) {
    // A need naming a state machine the catalogue does not have.
    throw new ConfigError(`fundflow cannot start: no configuration key ${unknown.join(', ')} is declared`);
  }
  const shape: Record<string, z.ZodType<string | undefined, string | undefined>> = Object.fromEntries(
    required.map((key) => [key, (declared[key] as (typeof declared)[string])()]),
  );
  const schema = z.object(shape);
  const parsed = schema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const key = String(issue.path[0]);
        const what = env[key] === undefined ? 'is not set' : `is not valid (${issue.message})`;
        return `${key} ${what} — ${shape[key]?.description ?? ''}`;
      });
  // The SMTP server's secret is required only when mail goes through it.
  if (parsed.success && parsed.data.MAIL_TRANSPORT === 'smtp' && parsed.data.SMTP_SECRET_ARN === undefined) {
    problems.push(
      `SMTP_SECRET_ARN is not set (MAIL_TRANSPORT is smtp) — ${shape.SMTP_SECRET_ARN?.description ?? ''}`,
    );
  }
  if (problems.length === 0 && parsed.success) {
    // An optional key left unset is absent, not `undefined`.
    return Object.fromEntries(
      Object.entries(parsed.data).filter(([, value]) => value !== undefined),
    ) as Config;
  }
  throw new ConfigError(
    `fundflow cannot start: this function's needs require ${problems.join('; ')}. infra/ sets each with its need's grant (FundflowFunction.bindNeeds).`,
  );
}

/** A key of a configuration parsed for needs that require it. */
export function configValue(config: Config, key: ConfigKey): string {
  const value = config[key];
  // Not reachable after loadConfig for the same needs: an adapter used without its need.
  if (value === undefined) throw new ConfigError(`fundflow: ${key} is not part of this function's needs`);
  return value;
}
