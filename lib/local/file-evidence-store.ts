/**
 * The local stand-in for the S3 evidence bucket: files under the data folder, handed out through
 * HMAC-signed, expiring URLs of the same shape as presigned S3 URLs (`/local-s3/<key>?…`), which the
 * local server checks before it stores or serves a file.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { copyFile, mkdir, open, readdir, readFile, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../app.ts';
import type {
  DownloadHeaders,
  EvidenceStore,
  PresignedPost,
  PresignedUpload,
  StoredObject,
} from '../evidence/evidence-store.ts';
import type { ExpiryRule } from '../evidence/lifecycle.ts';
import {
  checkPostPolicy,
  POST_POLICY_SECONDS,
  type PostRefusal,
  signedPostFields,
} from '../evidence/post-policy.ts';

/** The local bucket's name, region and access key in a POST policy (its secret is the runtime's own). */
const LOCAL_BUCKET = { bucket: 'local', region: 'local', accessKeyId: 'local' } as const;

const UPLOAD_URL_SECONDS = 15 * 60;
const DOWNLOAD_URL_SECONDS = 5 * 60;

export interface SignedRequest {
  key: string;
  method: 'PUT' | 'GET';
  expires: number;
  contentType?: string | undefined;
  size?: number | undefined;
  /** A GET's response headers, signed like S3's `response-*` overrides. */
  response?: DownloadHeaders | undefined;
}

/** The query parameters S3 uses for a presigned GET's response headers; the local URLs use the same. */
const RESPONSE_PARAMETERS = {
  contentType: 'response-content-type',
  contentDisposition: 'response-content-disposition',
  cacheControl: 'response-cache-control',
} as const satisfies Record<keyof DownloadHeaders, string>;

/** A GET's signed response headers, read back from its URL (absent ones stay absent). */
export function responseHeadersOf(query: URLSearchParams): DownloadHeaders | undefined {
  const contentType = query.get(RESPONSE_PARAMETERS.contentType);
  const contentDisposition = query.get(RESPONSE_PARAMETERS.contentDisposition);
  const cacheControl = query.get(RESPONSE_PARAMETERS.cacheControl);
  if (contentType === null || contentDisposition === null || cacheControl === null) return undefined;
  return { contentType, contentDisposition, cacheControl };
}

export class FileEvidenceStore implements EvidenceStore {
  constructor(
    private readonly root: string,
    private readonly baseUrl: () => string,
    private readonly secret: string,
    private readonly clock: Clock,
  ) {}

  private sign(request: SignedRequest): string {
    const canonical = [
      request.method,
      request.key,
      request.expires,
      request.contentType ?? '',
      request.size ?? '',
      request.response?.contentType ?? '',
      request.response?.contentDisposition ?? '',
      request.response?.cacheControl ?? '',
    ];
    return createHmac('sha256', this.secret).update(canonical.join('\n')).digest('base64url');
  }

  private url(request: SignedRequest): string {
    const query = new URLSearchParams({ expires: String(request.expires) });
    if (request.contentType) query.set('contentType', request.contentType);
    if (request.size !== undefined) query.set('size', String(request.size));
    for (const [field, parameter] of Object.entries(RESPONSE_PARAMETERS)) {
      const value = request.response?.[field as keyof DownloadHeaders];
      if (value !== undefined) query.set(parameter, value);
    }
    query.set('signature', this.sign(request));
    return `${this.baseUrl()}/local-s3/${request.key.split('/').map(encodeURIComponent).join('/')}?${query}`;
  }

  /** True when the URL's signature matches and it has not expired. */
  verify(request: SignedRequest, signature: string): boolean {
    const expected = Buffer.from(this.sign(request));
    const given = Buffer.from(signature);
    const fresh = request.expires * 1000 >= this.clock.now().getTime();
    return fresh && expected.length === given.length && timingSafeEqual(expected, given);
  }

  private expiresIn(seconds: number): number {
    return Math.floor(this.clock.now().getTime() / 1000) + seconds;
  }

  async presignUpload(input: { key: string; contentType: string; size: number }): Promise<PresignedUpload> {
    const expires = this.expiresIn(UPLOAD_URL_SECONDS);
    return {
      uploadUrl: this.url({
        key: input.key,
        method: 'PUT',
        expires,
        contentType: input.contentType,
        size: input.size,
      }),
      method: 'PUT',
      headers: { 'content-type': input.contentType },
      expiresAt: new Date(expires * 1000).toISOString(),
    };
  }

  /** The same POST policy and SigV4 signature as S3's (post-policy.ts), signed with the local secret. */
  async presignPost(input: { key: string; maxBytes: number; redirect: string }): Promise<PresignedPost> {
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + POST_POLICY_SECONDS * 1000);
    return {
      url: `${this.baseUrl()}/local-s3/`,
      fields: signedPostFields({
        bucket: LOCAL_BUCKET.bucket,
        region: LOCAL_BUCKET.region,
        credentials: { accessKeyId: LOCAL_BUCKET.accessKeyId, secretAccessKey: this.secret },
        now,
        expiresAt,
        ...input,
      }),
      expiresAt: expiresAt.toISOString(),
    };
  }

  /** What S3 checks of a form POST (null: store it); `bucket` is what the local redirect names. */
  checkPost(fields: Record<string, string>, fileSize: number): PostRefusal | null {
    return checkPostPolicy({
      fields,
      fileSize,
      bucket: LOCAL_BUCKET.bucket,
      region: LOCAL_BUCKET.region,
      credentials: { accessKeyId: LOCAL_BUCKET.accessKeyId, secretAccessKey: this.secret },
      now: this.clock.now(),
    });
  }

  readonly bucketName = LOCAL_BUCKET.bucket;

  async presignDownload(key: string, headers: DownloadHeaders): Promise<string> {
    return this.url({ key, method: 'GET', expires: this.expiresIn(DOWNLOAD_URL_SECONDS), response: headers });
  }

  private filePath(key: string): string {
    const resolved = path.resolve(this.root, key);
    if (!resolved.startsWith(path.resolve(this.root) + path.sep)) throw new Error(`bad evidence key ${key}`);
    return resolved;
  }

  async put(input: { key: string; contentType: string; body: Uint8Array }): Promise<void> {
    const file = this.filePath(input.key);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, input.body);
    await writeFile(`${file}.meta.json`, JSON.stringify({ contentType: input.contentType }));
  }

  async head(key: string): Promise<StoredObject | null> {
    try {
      const file = this.filePath(key);
      const [info, meta] = await Promise.all([stat(file), readFile(`${file}.meta.json`, 'utf8')]);
      return { size: info.size, contentType: (JSON.parse(meta) as { contentType: string }).contentType };
    } catch {
      return null;
    }
  }

  async readStart(key: string, bytes: number): Promise<Uint8Array | null> {
    const stored = await this.head(key);
    if (!stored) return null;
    const file = await open(this.filePath(key), 'r');
    try {
      const buffer = Buffer.alloc(Math.min(bytes, stored.size));
      const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  }

  async download(key: string, toPath: string): Promise<boolean> {
    if (!(await this.head(key))) return false;
    await copyFile(this.filePath(key), toPath);
    return true;
  }

  async get(key: string): Promise<Uint8Array | null> {
    return (await this.read(key))?.body ?? null;
  }

  /**
   * What S3's lifecycle rules do to the bucket (lib/evidence/lifecycle.ts), done to the folder: every
   * file under a rule's prefix written more than its days before `now` (real time, as S3 counts, not
   * the dev clock) goes, with its type and any folder left empty. Returns the keys removed.
   */
  async expire(rules: readonly ExpiryRule[], now = Date.now()): Promise<string[]> {
    const removed: string[] = [];
    /** Sweeps one folder; true when it was left empty and is gone. */
    const sweep = async (dir: string, before: number): Promise<boolean> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => null);
      if (entries === null) return false;
      for (const entry of entries) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) await sweep(file, before);
        else if (
          entry.isFile() &&
          !entry.name.endsWith('.meta.json') &&
          (await stat(file)).mtimeMs < before
        ) {
          await rm(file, { force: true });
          await rm(`${file}.meta.json`, { force: true });
          removed.push(path.relative(this.root, file).split(path.sep).join('/'));
        }
      }
      if ((await readdir(dir)).length > 0) return false;
      await rmdir(dir);
      return true;
    };
    for (const rule of rules)
      await sweep(this.filePath(rule.prefix), now - rule.expireAfterDays * 86_400_000);
    return removed;
  }

  async read(key: string): Promise<{ body: Buffer; contentType: string } | null> {
    const head = await this.head(key);
    if (!head) return null;
    return { body: await readFile(this.filePath(key)), contentType: head.contentType };
  }
}
