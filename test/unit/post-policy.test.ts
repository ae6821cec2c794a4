/**
 * The S3 POST policy the week page's upload form carries (lib/evidence/post-policy.ts): signed as AWS
 * documents it (Signature Version 4), and checked by the local bucket as S3 checks it.
 */

import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import {
  checkPostPolicy,
  policySignature,
  signedPostFields,
  signingKey,
} from '../../lib/evidence/post-policy.ts';

const credentials = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const now = new Date('2015-12-29T00:00:00Z');
const key = 'evidence/2015-12-29/01KAAAAAAAAAAAAAAAAAAAAAAA/sales-summary';
const request = {
  bucket: 'sigv4examplebucket',
  key,
  maxBytes: 1000,
  redirect: 'https://fundflow.example/reconciliations/2015-12-28/inputs/uploaded?kind=SALES_SUMMARY',
  expiresAt: new Date('2015-12-30T12:00:00Z'),
  now,
  region: 'us-east-1',
  credentials,
};
type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData) =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

/** The SDK signer's hash, from node:crypto (an HMAC when given a key), as @smithy/hash-node makes it. */
class NodeSha256 {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData) {
    this.hash.update(bytes(data));
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}

const check = (fields: Record<string, string>, fileSize = 10, at = now) =>
  checkPostPolicy({
    fields,
    fileSize,
    bucket: 'sigv4examplebucket',
    region: 'us-east-1',
    credentials,
    now: at,
  });

describe('the S3 POST policy', () => {
  it('derives the signing key of AWS’s documented example (kSecret → kDate → kRegion → kService → kSigning)', () => {
    // "Examples of how to derive a signing key for Signature Version 4" (AWS General Reference).
    expect(
      signingKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20120215', 'us-east-1', 'iam').toString('hex'),
    ).toBe('f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d');
  });

  it('signs the base64 policy as the AWS SDK’s own SigV4 signer signs a string', async () => {
    const fields = signedPostFields(request);
    const signer = new SignatureV4({
      credentials,
      region: 'us-east-1',
      service: 's3',
      sha256: NodeSha256,
    });
    const expected = await signer.sign(fields.policy ?? '', { signingDate: now });
    expect(fields['x-amz-signature']).toBe(expected);
    expect(fields['x-amz-signature']).toBe(
      policySignature(fields.policy ?? '', credentials.secretAccessKey, '20151229', 'us-east-1'),
    );
    expect(fields['x-amz-credential']).toBe('AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request');
    expect(fields['x-amz-date']).toBe('20151229T000000Z');
  });

  it('fixes the key, the redirect and the size range in the policy', () => {
    const policy = JSON.parse(Buffer.from(signedPostFields(request).policy ?? '', 'base64').toString('utf8'));
    expect(policy.expiration).toBe('2015-12-30T12:00:00.000Z');
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        { bucket: 'sigv4examplebucket' },
        { key },
        { success_action_redirect: request.redirect },
        ['content-length-range', 1, 1000],
      ]),
    );
  });

  it('carries a role’s session token as a field its policy names', () => {
    const fields = signedPostFields({ ...request, credentials: { ...credentials, sessionToken: 'token' } });
    expect(fields['x-amz-security-token']).toBe('token');
    expect(check(fields)).toBeNull();
    expect(check({ ...fields, 'x-amz-security-token': 'another' })).toBe('FIELD');
  });

  it('lets the form it signed through, and refuses an expired, tampered or oversized one', () => {
    const fields = signedPostFields(request);
    expect(check(fields)).toBeNull();
    expect(check(fields, 1000)).toBeNull();
    expect(check(fields, 1001)).toBe('SIZE');
    expect(check(fields, 0)).toBe('SIZE');
    expect(check(fields, 10, new Date('2015-12-30T12:00:00Z'))).toBe('EXPIRED');
    expect(check({ ...fields, key: `${key}x` })).toBe('FIELD');
    expect(check({ ...fields, success_action_redirect: 'https://evil.example/' })).toBe('FIELD');
    expect(check({ ...fields, acl: 'public-read' })).toBe('FIELD');
    expect(check({ ...fields, 'x-amz-signature': '0'.repeat(64) })).toBe('SIGNATURE');
    expect(
      checkPostPolicy({ fields, fileSize: 10, bucket: 'another', region: 'us-east-1', credentials, now }),
    ).toBe('FIELD');
  });
});
