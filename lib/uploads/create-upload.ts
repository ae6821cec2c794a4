/**
 * Uploads: order evidence (POLICY 2.1(2)), a travelling approver's consent email (D6), a copy of the
 * supplier's invoice (D9). The uploader asks for an upload URL, PUTs the file there, and cites the
 * returned key. Only the content types the policy settings allow for that purpose, size-limited.
 * What a file is, is decided from its bytes (file-kinds.ts): a file that comes through our server
 * (the pages) is checked before anything is stored; one PUT straight to the bucket is checked when it
 * is cited (stored-files.ts).
 */

import type { AppDeps } from '../app.ts';
import { requireRole } from '../domain/access.ts';
import { AppError, RuleViolationError, ValidationError } from '../domain/errors.ts';
import type { Person, Role } from '../domain/model.ts';
import type { PolicySettings } from '../domain/policy.ts';
import { toShanghaiIso } from '../domain/time.ts';
import type { PresignedPost, PresignedUpload } from '../evidence/evidence-store.ts';
import { acceptedBy, declaredAs, type FileKind, sniffWholeFile } from './file-kinds.ts';
import { evidenceKey } from './upload-keys.ts';

export const UPLOAD_PURPOSES = [
  'evidence',
  'consent-email',
  'supplier-invoice',
  // The weekly reconciliation's inputs (POLICY 3.2, D11), registered with POST /api/reconciliations/:week/inputs.
  'sales-summary',
  'master-data',
  'alipay-statement',
] as const;
export type UploadPurpose = (typeof UPLOAD_PURPOSES)[number];

/** A week's statement or summary is hundreds of MB at most; it goes straight to the bucket (presigned PUT). */
export const RECONCILIATION_INPUT_MAX_BYTES = 1024 * 1024 * 1024;
const SHEET_TYPES = ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'];

/**
 * Who may upload for a purpose (undefined: any colleague), which content types it takes, and how a
 * file that is not one of them is refused (the code a citation of that purpose is refused with).
 */
const PURPOSES: Record<
  UploadPurpose,
  {
    roles?: Role[];
    contentTypes: (policy: PolicySettings) => readonly string[];
    refusal: { code: string; zh: string; en: string };
    /** Its size limit (default: the policy's evidence limit). */
    maxBytes?: number;
  }
> = {
  evidence: {
    roles: ['MERCHANDISER'],
    contentTypes: (policy) => policy.evidenceContentTypes,
    refusal: { code: 'EVIDENCE_INVALID', zh: '图片或 PDF', en: 'an image (PNG, JPEG, WebP, GIF) or a PDF' },
  },
  'consent-email': {
    contentTypes: (policy) => policy.consentEmailContentTypes,
    refusal: { code: 'CONSENT_EMAIL_MISSING', zh: '原始邮件（.eml）', en: 'an original email (.eml)' },
  },
  // The applicant records the invoice, or finance for them (D9).
  'supplier-invoice': {
    roles: ['MERCHANDISER', 'FINANCE_REVIEWER'],
    contentTypes: (policy) => policy.invoiceFileContentTypes,
    refusal: {
      code: 'INVOICE_FILE_INVALID',
      zh: 'PDF、OFD、数电票 XML 或图片',
      en: 'a PDF, an OFD, the XML of a fully digital invoice or an image (PNG, JPEG)',
    },
  },
  // POLICY 3.2, D11: merchandising's 销售情况汇总表 and 供应商客户信息维护表, as CSV or XLSX.
  'sales-summary': {
    roles: ['MERCHANDISER', 'HEAD_OF_MERCHANDISING'],
    contentTypes: () => SHEET_TYPES,
    refusal: { code: 'RECONCILIATION_INPUT_INVALID', zh: 'CSV 或 XLSX 表格', en: 'a CSV or XLSX sheet' },
    maxBytes: RECONCILIATION_INPUT_MAX_BYTES,
  },
  'master-data': {
    roles: ['MERCHANDISER', 'HEAD_OF_MERCHANDISING'],
    contentTypes: () => SHEET_TYPES,
    refusal: { code: 'RECONCILIATION_INPUT_INVALID', zh: 'CSV 或 XLSX 表格', en: 'a CSV or XLSX sheet' },
    maxBytes: RECONCILIATION_INPUT_MAX_BYTES,
  },
  // Finance downloads Alipay's merchant bill: the CSV, or the .csv.zip as downloaded.
  'alipay-statement': {
    roles: ['FINANCE_REVIEWER'],
    contentTypes: () => ['text/csv', 'application/zip'],
    refusal: {
      code: 'RECONCILIATION_INPUT_INVALID',
      zh: '支付宝对账单（CSV 或 .csv.zip）',
      en: 'an Alipay statement (CSV or .csv.zip)',
    },
    maxBytes: RECONCILIATION_INPUT_MAX_BYTES,
  },
};

/** Who may upload for a purpose (the reconciliation checks an input's registrant against it too). */
export function uploadRolesOf(purpose: UploadPurpose): readonly Role[] | undefined {
  return PURPOSES[purpose].roles;
}

/**
 * The file's bytes are a kind the purpose accepts, and the type its uploader declared is that kind
 * (DESIGN.md decision 15): a file that says it is one thing and is another is refused, whatever it is.
 * `kind` is what the bytes are (null: none of our kinds); `path` names the field in the refusal.
 */
export function assertFileKind(
  policy: PolicySettings,
  purpose: UploadPurpose,
  file: { fileName: string; declared: string; kind: FileKind | null; path: string },
): FileKind {
  const { code, zh, en } = PURPOSES[purpose].refusal;
  const { kind } = file;
  const accepted = kind !== null && acceptedBy(PURPOSES[purpose].contentTypes(policy), kind);
  if (!accepted) {
    const message = `${file.fileName}：文件内容不是${zh}。Its content is not ${en}.`;
    throw new RuleViolationError(code, message, { issues: [{ path: file.path, message }] });
  }
  if (!declaredAs(file.declared, kind)) {
    const message = `${file.fileName}：声明的类型 ${file.declared} 与文件内容（${kind.contentType}）不符。It was sent as ${file.declared} but its content is ${kind.contentType}.`;
    throw new RuleViolationError(code, message, { issues: [{ path: file.path, message }] });
  }
  return kind;
}

export interface UploadRequest {
  fileName: string;
  contentType: string;
  size: number;
  purpose?: UploadPurpose | undefined;
}

export function checkEvidenceFile(policy: PolicySettings, file: UploadRequest): void {
  const issues = [];
  const purpose = PURPOSES[file.purpose ?? 'evidence'];
  const accepted = purpose.contentTypes(policy);
  const maxBytes = purpose.maxBytes ?? policy.maxEvidenceBytes;
  if (!accepted.includes(file.contentType)) {
    issues.push({
      path: 'contentType',
      message: `不接受 ${file.contentType}，请用 ${accepted.join('、')}。${file.contentType} is not accepted; use ${accepted.join(', ')}`,
    });
  }
  if (file.size > maxBytes) {
    issues.push({
      path: 'size',
      message: `文件最大 ${maxBytes} 字节 at most ${maxBytes} bytes`,
    });
  }
  if (file.size <= 0) issues.push({ path: 'size', message: '文件是空的 the file is empty' });
  const first = issues[0];
  if (first) {
    throw new ValidationError(`文件不能接受 The file is refused: ${first.message}`, { issues });
  }
}

/** 1. the purpose's roles; 2. type and size within the policy. */
async function checkUploadRequest(
  deps: AppDeps,
  owner: Person,
  file: UploadRequest,
): Promise<PolicySettings> {
  const roles = PURPOSES[file.purpose ?? 'evidence'].roles;
  if (roles) requireRole(owner, ...roles);
  const policy = await deps.store.settings.currentPolicy(owner.entityId, deps.clock.now());
  checkEvidenceFile(policy, file);
  return policy;
}

/** Records who uploads what, under a new key (held until `heldUntil`, when a refused form keeps it). */
async function recordUpload(
  deps: AppDeps,
  owner: Person,
  file: UploadRequest,
  heldUntil?: Date,
): Promise<string> {
  const now = deps.clock.now();
  const key = evidenceKey(now, file.fileName);
  await deps.store.uploads.create({
    key,
    owner: owner.email,
    fileName: file.fileName,
    contentType: file.contentType,
    size: file.size,
    createdAt: toShanghaiIso(now),
    ...(heldUntil ? { heldUntil: toShanghaiIso(heldUntil) } : {}),
  });
  return key;
}

export async function createUpload(
  deps: AppDeps,
  owner: Person,
  request: UploadRequest,
): Promise<{ key: string } & PresignedUpload> {
  await checkUploadRequest(deps, owner, request);
  const key = await recordUpload(deps, owner, request);
  const upload = await deps.evidence.presignUpload({
    key,
    contentType: request.contentType,
    size: request.size,
  });
  return { key, ...upload };
}

/**
 * A page's form that uploads one file straight to the bucket (S3 POST): the purpose's roles, then a
 * key made as `createUpload` makes it, recorded for its owner and *held* (FORM_FILE_HOLD_HOURS: a
 * form drawn and never sent leaves no record for good), and a policy that fixes that key, the
 * purpose's size limit and the page the bucket sends the browser back to. What the file is, is told
 * from its bytes when it is registered (the reconciliation reads it whole), as for a presigned PUT.
 */
export async function createFormUpload(
  deps: AppDeps,
  owner: Person,
  request: { purpose: UploadPurpose; fileName: string; redirect: string },
): Promise<{ key: string } & PresignedPost> {
  const purpose = PURPOSES[request.purpose];
  if (purpose.roles) requireRole(owner, ...purpose.roles);
  const policy = await deps.store.settings.currentPolicy(owner.entityId, deps.clock.now());
  const maxBytes = purpose.maxBytes ?? policy.maxEvidenceBytes;
  const heldUntil = new Date(deps.clock.now().getTime() + FORM_FILE_HOLD_HOURS * 3_600_000);
  // The type and size are the bytes' (unknown until they are read): the record names the limit.
  const key = await recordUpload(
    deps,
    owner,
    {
      fileName: request.fileName,
      contentType: 'application/octet-stream',
      size: maxBytes,
      purpose: request.purpose,
    },
    heldUntil,
  );
  const post = await deps.evidence.presignPost({ key, maxBytes, redirect: request.redirect });
  return { key, ...post };
}

/** A form upload's record has outlived its hold: the form is too old to register. */
export const formUploadExpired = (upload: { heldUntil?: string }, now: Date): boolean =>
  upload.heldUntil !== undefined && Date.parse(upload.heldUntil) <= now.getTime();

export interface UploadedFile {
  fileName: string;
  /** The type the browser declared: it must be what the bytes are. */
  contentType: string;
  body: Uint8Array;
  purpose?: UploadPurpose;
  /** The form field it came in, for the refusal (default: the purpose's). */
  path?: string;
}

/** The field a refusal of a purpose's file names, unless the caller says. */
const FIELD: Record<UploadPurpose, string> = {
  evidence: 'evidence',
  'consent-email': 'consentEmail',
  'supplier-invoice': 'file',
  'sales-summary': 'file',
  'master-data': 'file',
  'alipay-statement': 'file',
};

/**
 * Pages upload through the server (no JavaScript needed). Every file is checked before any is
 * stored: the purpose's roles, its size, and what its bytes are (refused: a kind the purpose does not
 * take, or another than declared), so a refusal leaves nothing behind. Then each is recorded and
 * stored, as the type its bytes are. The keys, in the order of the files.
 */
/**
 * Checks files sent through our own server (the page forms) without storing anything: the purpose's
 * roles, size and type within the policy, and each file, by its bytes, the kind it was declared as.
 */
export async function checkUploadedFiles(
  deps: AppDeps,
  owner: Person,
  files: readonly UploadedFile[],
): Promise<{ file: UploadedFile; kind: FileKind }[]> {
  const checked: { file: UploadedFile; kind: FileKind }[] = [];
  for (const file of files) {
    const purpose = file.purpose ?? 'evidence';
    const policy = await checkUploadRequest(deps, owner, { ...file, size: file.body.byteLength });
    const kind = assertFileKind(policy, purpose, {
      fileName: file.fileName,
      declared: file.contentType,
      kind: await sniffWholeFile(file.body),
      path: file.path ?? FIELD[purpose],
    });
    checked.push({ file, kind });
  }
  return checked;
}

/** Every file is checked (checkUploadedFiles) before any is stored: a refused one stores none. */
export async function storeUploadedFiles(
  deps: AppDeps,
  owner: Person,
  files: readonly UploadedFile[],
  heldUntil?: Date,
): Promise<string[]> {
  const checked = await checkUploadedFiles(deps, owner, files);
  const keys: string[] = [];
  for (const { file, kind } of checked) {
    const key = await recordUpload(
      deps,
      owner,
      {
        fileName: file.fileName,
        contentType: kind.contentType,
        size: file.body.byteLength,
        purpose: file.purpose,
      },
      heldUntil,
    );
    await deps.evidence.put({ key, contentType: kind.contentType, body: file.body });
    keys.push(key);
  }
  return keys;
}

/** How long a file a refused form kept waits to be sent again: a working day is plenty. */
export const FORM_FILE_HOLD_HOURS = 24;

/**
 * A page form was refused for something else than its files (a field, an order's settlement): the
 * files the person chose survive it, so they need not choose them again — but only files that passed
 * every check of their own (role, size, type by their bytes, at most the policy's number), stored once
 * each and *held*: the form carries their keys and cites them when it is sent again (a voucher that
 * cites one keeps it for good, in its own transaction); one never cited expires with its hold, and
 * then can be neither opened nor cited. Files that are themselves refused, or too many, keep nothing.
 * The keys, in the order of the files.
 */
export async function holdFormFiles(
  deps: AppDeps,
  owner: Person,
  files: readonly UploadedFile[],
  alreadyKept: number,
): Promise<string[]> {
  if (files.length === 0) return [];
  const policy = await deps.store.settings.currentPolicy(owner.entityId, deps.clock.now());
  if (alreadyKept + files.length > policy.maxEvidencePerVoucher) return [];
  const heldUntil = new Date(deps.clock.now().getTime() + FORM_FILE_HOLD_HOURS * 3_600_000);
  try {
    return await storeUploadedFiles(deps, owner, files, heldUntil);
  } catch (error) {
    if (error instanceof AppError) return [];
    throw error;
  }
}

/** One file sent through the pages (the invoice form's copy): checked, then recorded and stored. */
export async function storeUploadedFile(deps: AppDeps, owner: Person, file: UploadedFile): Promise<string> {
  const [key] = await storeUploadedFiles(deps, owner, [file]);
  if (key === undefined) throw new Error('one file stored, one key');
  return key;
}
