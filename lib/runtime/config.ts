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
const declared: Record<string, () => z.ZodType<string>> = {
  TABLE_NAME: () => text().describe('The one DynamoDB table (lib/storage/table-definition.ts). Need: table.'),
  EVIDENCE_BUCKET: () => text().describe('S3 bucket holding evidence files. Need: evidence.'),
  MAIL_FROM: () => z.email().describe("Sender address of fundflow's emails (an SES identity). Need: mail."),
  LINK_KEY_SECRET_ARN: () =>
    text().describe(
      'Secrets Manager secret holding the HMAC key of approval links (fetched before the first request). Need: linkKey.',
    ),
  PUBLIC_BASE_URL: () =>
    z
      .url()
      .describe(
        'The URL emails link to and forms come from (the API, or its custom domain). Needs: mail, linkKey, sessions.',
      ),
  COGNITO_USER_POOL_ID: () =>
    text().describe('User pool whose ID tokens sign people in to the pages. Need: sessions.'),
  COGNITO_CLIENT_ID: () => text().describe('App client of that user pool. Need: sessions.'),
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
  | 'LINK_KEY_SECRET_ARN'
  | 'PUBLIC_BASE_URL'
  | 'COGNITO_USER_POOL_ID'
  | 'COGNITO_CLIENT_ID'
  | `STATE_MACHINE_ARN_${string}`;

/** A function's configuration: the keys its needs require, each present. */
export type Config = Readonly<Partial<Record<ConfigKey, string>>>;

/** The keys a function with these needs requires (and infra/ sets, with the grant of each need). */
export function configKeysFor(needs: Needs): ConfigKey[] {
  const keys = new Set<ConfigKey>();
  if (needs.table) keys.add('TABLE_NAME');
  if (needs.evidence) keys.add('EVIDENCE_BUCKET');
  if (needs.mail) keys.add('MAIL_FROM').add('PUBLIC_BASE_URL');
  if (needs.linkKey) keys.add('LINK_KEY_SECRET_ARN').add('PUBLIC_BASE_URL');
  if (needs.sessions) keys.add('COGNITO_USER_POOL_ID').add('COGNITO_CLIENT_ID').add('PUBLIC_BASE_URL');
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
  const shape: Record<string, z.ZodType<string>> = Object.fromEntries(
    required.map((key) => [key, (declared[key] as () => z.ZodType<string>)()]),
  );
  const schema = z.object(shape);
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data as Config;
  const problems = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0]);
    const what = env[key] === undefined ? 'is not set' : `is not valid (${issue.message})`;
    return `${key} ${what} — ${shape[key]?.description ?? ''}`;
  });
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
