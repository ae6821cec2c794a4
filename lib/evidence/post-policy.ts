/**
 * An S3 POST policy, signed with AWS Signature Version 4 ("Browser-Based Uploads Using POST (AWS
 * Signature Version 4)"): a plain HTML form sends a file of hundreds of MB straight to the bucket,
 * never through the app (API Gateway and Lambda take 6 MB at most). `@aws-sdk/s3-presigned-post` is
 * not installed, and the signature is four HMACs, so it is written here with node:crypto; the local
 * bucket (lib/local/runtime.ts, `POST /local-s3/`) checks the same policy with `checkPostPolicy`.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface PostCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

export interface PostPolicyRequest {
  bucket: string;
  /** The one key the form may store (the policy fixes it: no `starts-with`). */
  key: string;
  /** content-length-range: 1 byte to this many. */
  maxBytes: number;
  /** Where the bucket sends the browser with 303 after a stored upload (bucket, key, etag appended). */
  redirect: string;
  expiresAt: Date;
  now: Date;
  region: string;
  credentials: PostCredentials;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';

/**
 * How long a form's policy holds: a page is read a while before its file is chosen, and S3 checks the
 * expiration when the upload starts, so an hour is plenty for a file of hundreds of MB.
 */
export const POST_POLICY_SECONDS = 60 * 60;

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** `20151229T000000Z`: SigV4's basic ISO 8601 form. */
const amzDate = (at: Date) => `${at.toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`;

/** The SigV4 signing key: kSecret → kDate → kRegion → kService → kSigning. */
export function signingKey(secretAccessKey: string, day: string, region: string, service = 's3'): Buffer {
  const date = hmac(`AWS4${secretAccessKey}`, day);
  return hmac(hmac(hmac(date, region), service), 'aws4_request');
}

/** A POST's signature: the base64 policy is the string to sign. */
export function policySignature(
  policy: string,
  secretAccessKey: string,
  day: string,
  region: string,
): string {
  return createHmac('sha256', signingKey(secretAccessKey, day, region))
    .update(policy, 'utf8')
    .digest('hex');
}

/** The form's fields, in the order a form sends them (the file goes last). */
export function signedPostFields(request: PostPolicyRequest): Record<string, string> {
  const date = amzDate(request.now);
  const day = date.slice(0, 8);
  const credential = `${request.credentials.accessKeyId}/${day}/${request.region}/s3/aws4_request`;
  const fields: Record<string, string> = {
    key: request.key,
    success_action_redirect: request.redirect,
    'x-amz-algorithm': ALGORITHM,
    'x-amz-credential': credential,
    'x-amz-date': date,
    ...(request.credentials.sessionToken ? { 'x-amz-security-token': request.credentials.sessionToken } : {}),
  };
  const policy = Buffer.from(
    JSON.stringify({
      expiration: request.expiresAt.toISOString(),
      conditions: [
        { bucket: request.bucket },
        ...Object.entries(fields).map(([name, value]) => ({ [name]: value })),
        ['content-length-range', 1, request.maxBytes],
      ],
    }),
  ).toString('base64');
  return {
    ...fields,
    policy,
    'x-amz-signature': policySignature(policy, request.credentials.secretAccessKey, day, request.region),
  };
}

export type PostRefusal = 'SIGNATURE' | 'EXPIRED' | 'FIELD' | 'SIZE';

/**
 * What S3 checks of a POST (the local bucket's stand-in): the signature over the policy, the policy
 * not expired, every form field the policy names exactly as named (and no field it does not name),
 * the file's size within its range. Null: the upload may be stored.
 */
export function checkPostPolicy(input: {
  fields: Record<string, string>;
  fileSize: number;
  bucket: string;
  region: string;
  credentials: PostCredentials;
  now: Date;
}): PostRefusal | null {
  const { fields } = input;
  const policy = fields.policy ?? '';
  const credential = (fields['x-amz-credential'] ?? '').split('/');
  const [accessKeyId, day, region] = credential;
  if (
    fields['x-amz-algorithm'] !== ALGORITHM ||
    accessKeyId !== input.credentials.accessKeyId ||
    region !== input.region ||
    day === undefined ||
    !/^\d{8}$/.test(day)
  ) {
    return 'SIGNATURE';
  }
  const expected = Buffer.from(policySignature(policy, input.credentials.secretAccessKey, day, region));
  const given = Buffer.from(fields['x-amz-signature'] ?? '');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'SIGNATURE';
  let parsed: { expiration?: unknown; conditions?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(policy, 'base64').toString('utf8'));
  } catch {
    return 'SIGNATURE';
  }
  if (typeof parsed.expiration !== 'string' || !(Date.parse(parsed.expiration) > input.now.getTime())) {
    return 'EXPIRED';
  }
  const named = new Set(['policy', 'x-amz-signature']);
  let range: [number, number] | undefined;
  for (const condition of Array.isArray(parsed.conditions) ? parsed.conditions : []) {
    if (Array.isArray(condition) && condition[0] === 'content-length-range') {
      range = [Number(condition[1]), Number(condition[2])];
      continue;
    }
    if (typeof condition !== 'object' || condition === null || Array.isArray(condition)) return 'FIELD';
    for (const [name, value] of Object.entries(condition)) {
      if (name === 'bucket') {
        if (value !== input.bucket) return 'FIELD';
        continue;
      }
      if (fields[name] !== value) return 'FIELD';
      named.add(name);
    }
  }
  if (Object.keys(fields).some((name) => !named.has(name))) return 'FIELD';
  if (range && (input.fileSize < range[0] || input.fileSize > range[1])) return 'SIZE';
  return null;
}

/** The hex SHA-256 of the bytes: the local bucket's ETag (S3's is an MD5; the app never reads it). */
export const etagOf = (body: Uint8Array) =>
  `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
