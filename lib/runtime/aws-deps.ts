/**
 * The composition root in AWS: config parsed once, clients created once per container, the link key
 * fetched once from Secrets Manager.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { decodeProtectedHeader } from 'jose';
import type { AppDeps, SessionVerifier } from '../app.ts';
import { systemClock } from '../app.ts';
import { type Config, loadConfig } from '../config.ts';
import { UnauthorizedError } from '../domain/errors.ts';
import type { EvidenceStore } from '../evidence/evidence-store.ts';
import { S3EvidenceStore } from '../evidence/s3-evidence-store.ts';
import type { ApiHandler } from '../http/api-handler.ts';
import { SignInProvider } from '../identity/provider.ts';
import { OidcSignIn } from '../identity/sign-in.ts';
import { systemDns } from '../mail/dkim.ts';
import { type Mailer, SesMailer } from '../mail/mailer.ts';
import { SmtpMailer } from '../mail/smtp-mailer.ts';
import { createDocumentClient } from '../storage/dynamo-client.ts';
import { createStore } from '../storage/store.ts';
import { deliveredByStream } from '../workflow/outbox.ts';
import { StepFunctionsWorkflow } from '../workflow/ports.ts';
import type { TaskHandler } from '../workflow/task-handler.ts';

/** A port this function was not given (its grants in infra/ do not include it either). */
function unavailable<T extends object>(what: string): T {
  return new Proxy({} as T, {
    get: () => () => Promise.reject(new Error(`this function has no ${what}`)),
  });
}

/**
 * The sign-in provider of the pages (the user pool, or the company's OIDC provider in China), read
 * from its issuer — not aws-jwt-verify's Cognito verifier, whose issuer is always amazonaws.com
 * (a pool's in a China region would be amazonaws.com.cn).
 */
function signInProvider(config: Config): SignInProvider | undefined {
  if (!config.SIGN_IN_ISSUER || !config.SIGN_IN_CLIENT_ID) return undefined;
  return new SignInProvider({ issuer: config.SIGN_IN_ISSUER, clientId: config.SIGN_IN_CLIENT_ID });
}

function sessionVerifier(provider: SignInProvider | undefined): SessionVerifier {
  if (!provider) {
    return {
      verify: () =>
        Promise.reject(new UnauthorizedError('Pages are not configured with a sign-in provider.')),
    };
  }
  return provider.sessions();
}

async function secretString(config: Config, secretId: string, what: string): Promise<string> {
  const secret = await new SecretsManagerClient({ region: config.AWS_REGION }).send(
    new GetSecretValueCommand({ SecretId: secretId }),
  );
  // An empty key would sign or seal what anyone can forge.
  if (!secret.SecretString) throw new Error(`the ${what} secret is empty`);
  return secret.SecretString;
}

/** The sign-in flow, for the function whose needs include it (its cookie key read at cold start). */
async function signIn(config: Config, provider: SignInProvider | undefined): Promise<OidcSignIn | undefined> {
  if (!provider || !config.SIGN_IN_KEY_SECRET_ARN || !config.PUBLIC_BASE_URL) return undefined;
  return new OidcSignIn({
    provider,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    cookieSecret: await secretString(config, config.SIGN_IN_KEY_SECRET_ARN, 'sign-in cookie key'),
    logoutEndpoint: config.SIGN_IN_LOGOUT_URL,
  });
}

/** SES, or the company's SMTP server (`fundflow:mailer`), sending as MAIL_FROM. */
function mailer(config: Config): Mailer {
  const from = config.MAIL_FROM;
  if (!from) return unavailable<Mailer>('mailer');
  if (config.MAIL_TRANSPORT === 'smtp') {
    const secretId = config.SMTP_SECRET_ARN;
    if (!secretId) throw new Error('MAIL_TRANSPORT smtp needs SMTP_SECRET_ARN');
    return new SmtpMailer(() => secretString(config, secretId, 'SMTP credentials'), from);
  }
  return new SesMailer(new SESv2Client({ region: config.AWS_REGION }), from);
}

/** Cognito signs ID tokens with RS256 (its JWKS says so); nothing else is taken. */
const COGNITO_ALGORITHM = 'RS256';

/**
 * Session tokens checked by a Cognito verifier, with the algorithm pinned: aws-jwt-verify accepts any
 * algorithm it supports when a JWK does not name one, so the header is read first and anything but
 * RS256 is refused before the signature is looked at.
 */
export function cognitoSessions(verifier: {
  verify(token: string): Promise<{ sub: string; email?: unknown }>;
}): SessionVerifier {
  return {
    async verify(token) {
      try {
        const { alg } = decodeProtectedHeader(token);
        if (alg !== COGNITO_ALGORITHM)
          throw new Error(`token algorithm ${String(alg)} is not ${COGNITO_ALGORITHM}`);
        const payload = await verifier.verify(token);
        return { email: String(payload.email ?? ''), sub: payload.sub };
      } catch (error) {
        throw new UnauthorizedError('Your sign-in has expired; sign in again.', { cause: error });
      }
    },
  };
}

async function linkKey(config: Config): Promise<string> {
  if (!config.LINK_KEY_SECRET_ARN) return '';
  return secretString(config, config.LINK_KEY_SECRET_ARN, 'approval-link');
}

async function build(): Promise<AppDeps> {
  const config = loadConfig();
  const provider = signInProvider(config);
  const flow = await signIn(config, provider);
  const client = createDocumentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
  const workflow = config.STATE_MACHINE_ARN
    ? new StepFunctionsWorkflow(new SFNClient({ region: config.AWS_REGION }), config.STATE_MACHINE_ARN)
    : unavailable<StepFunctionsWorkflow>('approval workflow');
  return {
    clock: systemClock,
    store: createStore(client, config.TABLE_NAME),
    evidence: config.EVIDENCE_BUCKET
      ? new S3EvidenceStore(new S3Client({ region: config.AWS_REGION }), config.EVIDENCE_BUCKET)
      : unavailable<EvidenceStore>('evidence bucket'),
    sessions: sessionVerifier(provider),
    mailer: mailer(config),
    workflow,
    taskTokens: workflow,
    dns: systemDns,
    // What a change owes the workflow reaches it through the table's stream, not this function.
    workflowOutbox: deliveredByStream,
    linkKey: await linkKey(config),
    publicBaseUrl: (config.PUBLIC_BASE_URL ?? '').replace(/\/$/, ''),
    signInUrl: '/login',
    ...(flow ? { signIn: flow } : {}),
  };
}

let deps: Promise<AppDeps> | undefined;

/** Built on the first invocation of a container and reused afterwards. */
export function awsDeps(): Promise<AppDeps> {
  deps ??= build();
  return deps;
}

/** The Lambda entry of an HTTP handler module; the local runtime calls `createHandler` itself. */
export function lambdaHandler(create: (deps: AppDeps) => ApiHandler): ApiHandler {
  let handler: ApiHandler | undefined;
  return async (event, context) => {
    handler ??= create(await awsDeps());
    return handler(event, context);
  };
}

/** The Lambda entry of a workflow task module. */
export function lambdaTaskHandler(create: (deps: AppDeps) => TaskHandler): TaskHandler {
  let handler: TaskHandler | undefined;
  return async (event) => {
    handler ??= create(await awsDeps());
    return handler(event);
  };
}
