import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type {
  DownloadHeaders,
  EvidenceStore,
  PresignedPost,
  PresignedUpload,
  StoredObject,
} from './evidence-store.ts';
import { POST_POLICY_SECONDS, signedPostFields } from './post-policy.ts';

const UPLOAD_URL_SECONDS = 15 * 60;
const DOWNLOAD_URL_SECONDS = 5 * 60;

/** Evidence in S3: presigned PUT (type and length signed, so the client cannot swap them) and GET. */
export class S3EvidenceStore implements EvidenceStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async presignUpload(input: { key: string; contentType: string; size: number }): Promise<PresignedUpload> {
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: input.key,
      ContentType: input.contentType,
      ContentLength: input.size,
    });
    const url = await getSignedUrl(this.s3, command, {
      expiresIn: UPLOAD_URL_SECONDS,
      signableHeaders: new Set(['content-type', 'content-length']),
    });
    return {
      uploadUrl: url,
      method: 'PUT',
      headers: { 'content-type': input.contentType },
      expiresAt: new Date(Date.now() + UPLOAD_URL_SECONDS * 1000).toISOString(),
    };
  }

  /**
   * Signed with the function's own (role) credentials, as a presigned PUT is: S3 authorizes the POST
   * as s3:PutObject by that role, so the role's grant on `evidence/*` is what allows it. The URL is
   * the bucket's virtual-hosted origin, the one origin the page's CSP lets the form post to.
   */
  async presignPost(input: { key: string; maxBytes: number; redirect: string }): Promise<PresignedPost> {
    const [credentials, region] = await Promise.all([this.s3.config.credentials(), this.s3.config.region()]);
    const now = new Date();
    const expiresAt = new Date(now.getTime() + POST_POLICY_SECONDS * 1000);
    return {
      url: `https://${this.bucket}.s3.${region}.${region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}/`,
      fields: signedPostFields({ bucket: this.bucket, region, credentials, now, expiresAt, ...input }),
      expiresAt: expiresAt.toISOString(),
    };
  }

  /**
   * The response headers are S3's `response-*` overrides, signed into the URL: the type told from the
   * bytes, attachment (inline only for raster images), no caching. S3 cannot add `nosniff` or a CSP to
   * a presigned GET; the bucket is another origin than the app's (docs/runbook.md, file serving).
   */
  presignDownload(key: string, headers: DownloadHeaders): Promise<string> {
    return getSignedUrl(
      this.s3,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ResponseContentType: headers.contentType,
        ResponseContentDisposition: headers.contentDisposition,
        ResponseCacheControl: headers.cacheControl,
      }),
      { expiresIn: DOWNLOAD_URL_SECONDS },
    );
  }

  async readStart(key: string, bytes: number): Promise<Uint8Array | null> {
    try {
      const result = await this.s3.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=0-${bytes - 1}` }),
      );
      return result.Body ? await result.Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      if (error instanceof NoSuchKey) return null;
      throw error;
    }
  }

  async put(input: { key: string; contentType: string; body: Uint8Array }): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: input.key,
        ContentType: input.contentType,
        Body: input.body,
      }),
    );
  }

  async get(key: string): Promise<Uint8Array | null> {
    try {
      const result = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return result.Body ? await result.Body.transformToByteArray() : null;
    } catch (error) {
      if (error instanceof NoSuchKey) return null;
      throw error;
    }
  }

  async download(key: string, toPath: string): Promise<boolean> {
    try {
      const result = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!result.Body) return false;
      await pipeline(result.Body as Readable, createWriteStream(toPath));
      return true;
    } catch (error) {
      if (error instanceof NoSuchKey) return false;
      throw error;
    }
  }

  async head(key: string): Promise<StoredObject | null> {
    try {
      const result = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return {
        size: result.ContentLength ?? 0,
        contentType: result.ContentType ?? 'application/octet-stream',
      };
    } catch (error) {
      if (error instanceof NotFound) return null;
      throw error;
    }
  }
}
