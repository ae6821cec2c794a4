/**
 * Evidence uploads (POLICY 2.1(2)): the applicant asks for an upload URL, PUTs the file there, and
 * cites the returned key on the voucher. Only images and PDF, size-limited by the policy settings.
 */

import { requireRole } from '../access.ts';
import type { AppDeps } from '../app.ts';
import { ValidationError } from '../domain/errors.ts';
import type { Person } from '../domain/model.ts';
import type { PolicySettings } from '../domain/policy.ts';
import { shanghaiDate, toShanghaiIso } from '../domain/time.ts';
import type { PresignedUpload } from '../evidence/evidence-store.ts';
import { newId } from '../ids.ts';

export interface UploadRequest {
  fileName: string;
  contentType: string;
  size: number;
  /** Order evidence (the merchandiser's), or a travelling approver's consent email (any colleague, D6). */
  purpose?: 'evidence' | 'consent-email' | undefined;
}

export function checkEvidenceFile(policy: PolicySettings, file: UploadRequest): void {
  const issues = [];
  const accepted =
    file.purpose === 'consent-email' ? policy.consentEmailContentTypes : policy.evidenceContentTypes;
  if (!accepted.includes(file.contentType)) {
    issues.push({
      path: 'contentType',
      message: `${file.contentType} is not accepted; use ${accepted.join(', ')}`,
    });
  }
  if (file.size > policy.maxEvidenceBytes) {
    issues.push({ path: 'size', message: `at most ${policy.maxEvidenceBytes} bytes` });
  }
  if (file.size <= 0) issues.push({ path: 'size', message: 'the file is empty' });
  const first = issues[0];
  if (first) throw new ValidationError(`Evidence file refused: ${first.path} ${first.message}.`, { issues });
}

/** Every evidence key starts here; IAM grants are scoped to it. */
export const EVIDENCE_PREFIX = 'evidence/';

/** A storage key that keeps the original name readable but safe. */
export function evidenceKey(now: Date, fileName: string): string {
  const safeName =
    fileName
      .normalize('NFKC')
      .replace(/[^\p{L}\p{N}._-]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'file';
  return `${EVIDENCE_PREFIX}${shanghaiDate(now)}/${newId(now.getTime())}/${safeName}`;
}

/** 1. merchandiser only; 2. type and size within the policy; 3. record who uploads what, under a new key. */
async function recordUpload(deps: AppDeps, owner: Person, file: UploadRequest): Promise<string> {
  if (file.purpose !== 'consent-email') requireRole(owner, 'MERCHANDISER');
  const policy = await deps.store.settings.currentPolicy(owner.entityId);
  checkEvidenceFile(policy, file);
  const now = deps.clock.now();
  const key = evidenceKey(now, file.fileName);
  await deps.store.uploads.create({
    key,
    owner: owner.email,
    fileName: file.fileName,
    contentType: file.contentType,
    size: file.size,
    createdAt: toShanghaiIso(now),
  });
  return key;
}

export async function createUpload(
  deps: AppDeps,
  owner: Person,
  request: UploadRequest,
): Promise<{ key: string } & PresignedUpload> {
  const key = await recordUpload(deps, owner, request);
  const upload = await deps.evidence.presignUpload({
    key,
    contentType: request.contentType,
    size: request.size,
  });
  return { key, ...upload };
}

/** Pages upload through the server (no JavaScript needed): record and store in one go. */
export async function storeUploadedFile(
  deps: AppDeps,
  owner: Person,
  file: { fileName: string; contentType: string; body: Uint8Array; purpose?: UploadRequest['purpose'] },
): Promise<string> {
  const key = await recordUpload(deps, owner, { ...file, size: file.body.byteLength });
  await deps.evidence.put({ key, contentType: file.contentType, body: file.body });
  return key;
}
