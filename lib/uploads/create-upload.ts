/**
 * Uploads: order evidence (POLICY 2.1(2)), a travelling approver's consent email (D6), a copy of the
 * supplier's invoice (D9). The uploader asks for an upload URL, PUTs the file there, and cites the
 * returned key. Only the content types the policy settings allow for that purpose, size-limited.
 */

import { requireRole } from '../access.ts';
import type { AppDeps } from '../app.ts';
import { ValidationError } from '../domain/errors.ts';
import type { Person, Role } from '../domain/model.ts';
import type { PolicySettings } from '../domain/policy.ts';
import { shanghaiDate, toShanghaiIso } from '../domain/time.ts';
import type { PresignedUpload } from '../evidence/evidence-store.ts';
import { newId } from '../ids.ts';

export const UPLOAD_PURPOSES = ['evidence', 'consent-email', 'supplier-invoice'] as const;
export type UploadPurpose = (typeof UPLOAD_PURPOSES)[number];

/** Who may upload for a purpose (undefined: any colleague), and which content types it takes. */
const PURPOSES: Record<
  UploadPurpose,
  { roles?: Role[]; contentTypes: (policy: PolicySettings) => readonly string[] }
> = {
  evidence: { roles: ['MERCHANDISER'], contentTypes: (policy) => policy.evidenceContentTypes },
  'consent-email': { contentTypes: (policy) => policy.consentEmailContentTypes },
  // The applicant records the invoice, or finance for them (D9).
  'supplier-invoice': {
    roles: ['MERCHANDISER', 'FINANCE_REVIEWER'],
    contentTypes: (policy) => policy.invoiceFileContentTypes,
  },
};

export interface UploadRequest {
  fileName: string;
  contentType: string;
  size: number;
  purpose?: UploadPurpose | undefined;
}

export function checkEvidenceFile(policy: PolicySettings, file: UploadRequest): void {
  const issues = [];
  const accepted = PURPOSES[file.purpose ?? 'evidence'].contentTypes(policy);
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

/** 1. the purpose's roles; 2. type and size within the policy; 3. record who uploads what, under a new key. */
async function recordUpload(deps: AppDeps, owner: Person, file: UploadRequest): Promise<string> {
  const roles = PURPOSES[file.purpose ?? 'evidence'].roles;
  if (roles) requireRole(owner, ...roles);
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
  file: { fileName: string; contentType: string; body: Uint8Array; purpose?: UploadPurpose },
): Promise<string> {
  const key = await recordUpload(deps, owner, { ...file, size: file.body.byteLength });
  await deps.evidence.put({ key, contentType: file.contentType, body: file.body });
  return key;
}
