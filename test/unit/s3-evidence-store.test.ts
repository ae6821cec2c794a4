/**
 * The S3 adapter's file serving: a presigned GET is signed offline, so what it carries can be read off
 * the URL; the ranged read is checked with a fault injected (aws-sdk-client-mock), as no S3 runs here.
 */
import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { checkPostPolicy } from '../../lib/evidence/post-policy.ts';
import { S3EvidenceStore } from '../../lib/evidence/s3-evidence-store.ts';
import { servingHeaders, sniffWholeFile } from '../../lib/uploads/file-kinds.ts';
import { TINY_PDF } from '../support/files.ts';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-real-secret' };
const key = 'evidence/2026-11-18/01KAAAAAAAAAAAAAAAAAAAAAAA/invoice.pdf';

describe('the S3 evidence store', () => {
  const s3 = new S3Client({ region: 'cn-north-1', credentials });
  const mock = mockClient(s3);
  afterEach(() => mock.reset());

  it('signs the served type, the attachment and no caching into a presigned GET', async () => {
    const headers = servingHeaders(await sniffWholeFile(TINY_PDF), 'invoice.pdf');

    const url = new URL(await new S3EvidenceStore(s3, 'bucket').presignDownload(key, headers));

    expect(url.searchParams.get('response-content-type')).toBe('application/pdf');
    expect(url.searchParams.get('response-content-disposition')).toBe(headers.contentDisposition);
    expect(url.searchParams.get('response-cache-control')).toBe('private, no-store');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads only the first bytes of an object, and answers null when nothing was uploaded', async () => {
    mock.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'no such key', $metadata: {} }));

    const start = await new S3EvidenceStore(s3, 'bucket').readStart(key, 65_536);

    expect(start).toBeNull();
    expect(mock.commandCalls(GetObjectCommand)[0]?.args[0].input).toMatchObject({
      Bucket: 'bucket',
      Key: key,
      Range: 'bytes=0-65535',
    });
  });
  it('signs a form POST to the bucket’s own origin, for one key, with the client’s credentials', async () => {
    const redirect = 'https://fundflow.example/reconciliations/2026-11-16/inputs/uploaded?kind=SALES_SUMMARY';
    const post = await new S3EvidenceStore(s3, 'fundflow-evidence').presignPost({
      key,
      maxBytes: 2048,
      redirect,
    });

    expect(post.url).toBe('https://fundflow-evidence.s3.cn-north-1.amazonaws.com.cn/');
    expect(post.fields.key).toBe(key);
    expect(post.fields['x-amz-credential']).toMatch(/^AKIDEXAMPLE\/\d{8}\/cn-north-1\/s3\/aws4_request$/);
    const check = (fields: Record<string, string>, fileSize: number) =>
      checkPostPolicy({
        fields,
        fileSize,
        bucket: 'fundflow-evidence',
        region: 'cn-north-1',
        credentials,
        now: new Date(),
      });
    expect(check(post.fields, 2048)).toBeNull();
    expect(check(post.fields, 2049)).toBe('SIZE');
    expect(check({ ...post.fields, key: `${key}.html` }, 10)).toBe('FIELD');
  });
});
