/**
 * Files already in the bucket: what they are, told from their bytes when they are cited and when they
 * are served (DESIGN.md decision 15). A file PUT straight to the bucket (a presigned URL in AWS,
 * /local-s3 locally) was never seen by our server, so its type is whatever its uploader sent; the
 * first bytes, read back, decide.
 *
 * Primary course of a citation:
 *  1. The upload record says whose file it is and what it was declared as.
 *  2. The object is there, within the size limit.
 *  3. Its first bytes (the whole file for the text formats) are a kind the purpose accepts, and the
 *     kind it was declared as; otherwise the citation is refused and nothing is written.
 */
import type { AppDeps } from '../app.ts';
import type { PolicySettings } from '../domain/policy.ts';
import type { EvidenceStore } from '../evidence/evidence-store.ts';
import { assertFileKind, type UploadPurpose } from './create-upload.ts';
import { type FileKind, servingHeaders, sniffFile } from './file-kinds.ts';

/** Enough of a file to tell every binary kind (file-type reads less than this). */
export const SNIFF_BYTES = 64 * 1024;
/** Far above any upload's limit: a text format larger than this is not read whole (none of ours). */
const MAX_WHOLE_READ_BYTES = 16 * 1024 * 1024;

/** What a stored file of `size` bytes is (null: none of our kinds, or nothing stored). */
export async function storedFileKind(
  evidence: EvidenceStore,
  key: string,
  size: number,
): Promise<FileKind | null> {
  const start = await evidence.readStart(key, SNIFF_BYTES);
  if (!start) return null;
  const kind = await sniffFile(start, { complete: start.byteLength >= size });
  if (kind !== 'incomplete') return kind;
  if (size > MAX_WHOLE_READ_BYTES) return null;
  // A text format is judged on every byte; the size was checked against the policy's limit first.
  const whole = await evidence.readStart(key, size);
  const judged = whole ? await sniffFile(whole, { complete: true }) : null;
  return judged === 'incomplete' ? null : judged;
}

export interface CitedFile {
  key: string;
  /** The issue path a refusal names (`evidence.2`, `file`). */
  path: string;
}

/**
 * 2–3 of the primary course for a file the caller uploaded themselves (the upload record is checked
 * by the caller). Refused with the purpose's code (EVIDENCE_INVALID, INVOICE_FILE_INVALID, …).
 */
export async function assertStoredFile(
  deps: AppDeps,
  policy: PolicySettings,
  purpose: UploadPurpose,
  file: CitedFile & { fileName: string; declared: string },
): Promise<FileKind> {
  const stored = await deps.evidence.head(file.key);
  const kind =
    stored && stored.size <= policy.maxEvidenceBytes
      ? await storedFileKind(deps.evidence, file.key, stored.size)
      : null;
  return assertFileKind(policy, purpose, { ...file, kind });
}

/**
 * A short-lived URL that serves the stored file as the kind its bytes are (never the declared type),
 * as a download unless it is a raster image, uncached; null when nothing is stored under the key.
 */
export async function downloadUrl(deps: Pick<AppDeps, 'evidence'>, key: string): Promise<string | null> {
  const stored = await deps.evidence.head(key);
  if (!stored) return null;
  const kind = await storedFileKind(deps.evidence, key, stored.size);
  return deps.evidence.presignDownload(key, servingHeaders(kind, key.split('/').at(-1) ?? 'file'));
}

/** A stored file as a page shows it: its name, a short-lived URL, and whether it shows inline as an image. */
export interface FilePreview {
  name: string;
  url: string;
  /** A raster image (PNG, JPEG, WebP, GIF), served inline: the page may show it as a thumbnail. */
  image: boolean;
}

/** `downloadUrl`, and whether the file is an image a page may show inline; null when nothing is stored. */
export async function filePreview(deps: Pick<AppDeps, 'evidence'>, key: string): Promise<FilePreview | null> {
  const stored = await deps.evidence.head(key);
  if (!stored) return null;
  const kind = await storedFileKind(deps.evidence, key, stored.size);
  const name = key.split('/').at(-1) ?? 'file';
  const url = await deps.evidence.presignDownload(key, servingHeaders(kind, name));
  return { name, url, image: kind?.inline === true };
}
