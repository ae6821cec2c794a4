/**
 * Evidence files (order screenshots, PDFs) — POLICY 2.1(2). In AWS an S3 bucket with presigned URLs
 * (s3-evidence-store.ts); in the local runtime a folder under the data dir served with signed URLs of
 * the same shape (lib/local/file-evidence-store.ts).
 */
export interface PresignedUpload {
  uploadUrl: string;
  method: 'PUT';
  /** Headers the client must send with the PUT. */
  headers: Record<string, string>;
  expiresAt: string;
}

/**
 * A browser form's upload straight to the bucket (S3 POST, lib/evidence/post-policy.ts): a file of
 * hundreds of MB never passes through the app. `url` is the form's action, `fields` its hidden inputs
 * (the file input goes after them); the policy fixes the key, the size range and the redirect.
 */
export interface PresignedPost {
  url: string;
  fields: Record<string, string>;
  expiresAt: string;
}

/** The headers a download is served with (S3's `response-*` overrides of a presigned GET). */
export interface DownloadHeaders {
  contentType: string;
  contentDisposition: string;
  cacheControl: string;
}

export interface StoredObject {
  size: number;
  contentType: string;
}

export interface EvidenceStore {
  presignUpload(input: { key: string; contentType: string; size: number }): Promise<PresignedUpload>;
  /** A form POST of one file to `key`, 1 byte to `maxBytes`, answered by a 303 to `redirect`. */
  presignPost(input: { key: string; maxBytes: number; redirect: string }): Promise<PresignedPost>;
  /** A short-lived GET URL whose response carries exactly these headers, whatever the upload declared. */
  presignDownload(key: string, headers: DownloadHeaders): Promise<string>;
  put(input: { key: string; contentType: string; body: Uint8Array }): Promise<void>;
  /** The stored bytes, or null when nothing was uploaded under that key. */
  get(key: string): Promise<Uint8Array | null>;
  /**
   * Streams the stored object into a local file (a reconciliation input of hundreds of MB, read by
   * the engine from disk: never whole in memory); false when nothing was uploaded under that key.
   */
  download(key: string, toPath: string): Promise<boolean>;
  /**
   * The first `bytes` bytes of the stored object (a ranged read), or null when nothing was uploaded
   * under that key: what a file is, is told from its bytes when it is cited and when it is served.
   */
  readStart(key: string, bytes: number): Promise<Uint8Array | null>;
  /** The stored object's size and type, or null when nothing was uploaded under that key. */
  head(key: string): Promise<StoredObject | null>;
}
