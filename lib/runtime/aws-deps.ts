/**
 * The composition root in AWS: config parsed once, clients created once per container.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import type { AppDeps, SessionVerifier } from '../app.ts';
import { systemClock } from '../app.ts';
import { loadConfig } from '../config.ts';
import { UnauthorizedError } from '../domain/errors.ts';
import type { EvidenceStore } from '../evidence/evidence-store.ts';
import { S3EvidenceStore } from '../evidence/s3-evidence-store.ts';
import type { ApiHandler } from '../http/api-handler.ts';
import { createDocumentClient } from '../storage/dynamo-client.ts';
import { createStore } from '../storage/store.ts';

let deps: AppDeps | undefined;

function unavailableEvidence(): EvidenceStore {
  const refuse = (): never => {
    throw new Error('this function has no evidence bucket (EVIDENCE_BUCKET unset)');
  };
  return { presignUpload: refuse, presignDownload: refuse, put: refuse, head: refuse };
}

export function awsDeps(): AppDeps {
  if (deps) return deps;
  const config = loadConfig();
  const client = createDocumentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
  let sessions: SessionVerifier = {
    verify: () => Promise.reject(new UnauthorizedError('Pages are not configured with a user pool.')),
  };
  if (config.COGNITO_USER_POOL_ID && config.COGNITO_CLIENT_ID) {
    const verifier = CognitoJwtVerifier.create({
      userPoolId: config.COGNITO_USER_POOL_ID,
      clientId: config.COGNITO_CLIENT_ID,
      tokenUse: 'id',
    });
    sessions = {
      async verify(token) {
        try {
          const payload = await verifier.verify(token);
          return { email: String(payload.email ?? ''), sub: payload.sub };
        } catch (error) {
          throw new UnauthorizedError('Your sign-in has expired; sign in again.', { cause: error });
        }
      },
    };
  }
  deps = {
    clock: systemClock,
    store: createStore(client, config.TABLE_NAME),
    evidence: config.EVIDENCE_BUCKET
      ? new S3EvidenceStore(new S3Client({ region: config.AWS_REGION }), config.EVIDENCE_BUCKET)
      : unavailableEvidence(),
    sessions,
    signInUrl: '/login',
  };
  return deps;
}

/**
 * The Lambda entry of a handler module: the handler is built from the AWS wiring on the first
 * invocation of a container and reused afterwards. The local runtime calls `createHandler` itself.
 */
export function lambdaHandler(create: (deps: AppDeps) => ApiHandler): ApiHandler {
  let handler: ApiHandler | undefined;
  return (event, context) => {
    handler ??= create(awsDeps());
    return handler(event, context);
  };
}
