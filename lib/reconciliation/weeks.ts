/**
 * The weekly sales reconciliation as a stored aggregate per (entity, week) (POLICY 3.2, D11, D17): its
 * inputs, its runs (the `reconciliation` workflow), its differences and finance's sign-off.
 *
 * Primary course:
 *  1. Merchandising uploads the 销售情况汇总表 (and the 供应商客户信息维护表), finance Alipay's statements
 *     (`POST /api/uploads`, straight to the bucket), then each is registered for the week. A statement
 *     is read whole on registration — footer totals, its range against the week, Excel-mangled ids —
 *     and refused with the line that disagrees (nothing registered). A summary or master-data sheet
 *     registered again replaces the one before (the next version, audited).
 *  2. Finance or merchandising runs it: the week becomes RUNNING and the workflow's start is owed in
 *     the same transaction (the outbox). The workflow reads the inputs as streams, reconciles and
 *     stores the differences, then waits for the sign-off; the week is READY.
 *  3. Finance explains or corrects each difference (a note, audited), then signs off: refused (409)
 *     while any is open. The sign-off answers the workflow's wait (owed, in its transaction).
 *  4. Reopening needs a reason; a new input after the sign-off (or after a run) reopens it too: the
 *     week waits for a new run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AppDeps } from '../app.ts';
import { RECONCILIATION_ROLES, RECONCILIATION_SIGN_OFF_ROLES, requireRole } from '../domain/access.ts';
import { ConflictError, NotFoundError, RuleViolationError } from '../domain/errors.ts';
import type { AuditEvent, LocalDate, Person } from '../domain/model.ts';
import { toShanghaiIso } from '../domain/time.ts';
import {
  type OwedDelivery,
  owedAggregateAnswer,
  owedStart,
  type WaitAnswer,
} from '../platform/owed-deliveries.ts';
import type {
  DifferenceStatus,
  Reconciliation,
  ReconciliationInput,
  ReconciliationInputKind,
  ReconciliationWrite,
  StoredDifference,
} from '../platform/store.ts';
import { formUploadExpired, type UploadPurpose, uploadRolesOf } from '../uploads/create-upload.ts';
import { sniffFile } from '../uploads/file-kinds.ts';
import { SNIFF_BYTES } from '../uploads/stored-files.ts';
import { workingDayCalendar } from '../working-days.ts';
import { ReconciliationInputError } from './errors.ts';
import { DIFFERENCE_CATEGORIES } from './model.ts';
import type { InputFile } from './text-input.ts';
import { reconciliationWeek } from './week.ts';

export const INPUT_KINDS = ['SALES_SUMMARY', 'MASTER_DATA', 'ALIPAY_STATEMENT'] as const;

/** The upload purpose each input is uploaded with (`POST /api/uploads`). */
export const PURPOSE_OF: Record<ReconciliationInputKind, UploadPurpose> = {
  SALES_SUMMARY: 'sales-summary',
  MASTER_DATA: 'master-data',
  ALIPAY_STATEMENT: 'alipay-statement',
};

/** The file kinds (by their bytes) each input may be. */
const KINDS_OF: Record<ReconciliationInputKind, readonly string[]> = {
  SALES_SUMMARY: ['csv', 'xlsx'],
  MASTER_DATA: ['csv', 'xlsx'],
  ALIPAY_STATEMENT: ['csv', 'zip'],
};

/** The workflow (lib/workflow/catalogue.ts) and the names of its executions and its wait. */
export const RECONCILIATION_WORKFLOW = 'reconciliation';
export const SIGN_OFF_WAIT = 'SIGN_OFF';
export const executionNameOf = (entityId: string, week: LocalDate, run: number) =>
  `${entityId}-${week}-r${run}`;
export const aggregateOf = (entityId: string, week: LocalDate) => ({
  type: 'reconciliation' as const,
  id: `${entityId}#${week}`,
});
export const signOffWaitOf = (entityId: string, week: LocalDate, run: number) => ({
  aggregate: aggregateOf(entityId, week),
  kind: `${String(run).padStart(6, '0')}#${SIGN_OFF_WAIT}`,
});

/** What the workflow's execution is started with. */
export interface RunInput {
  entityId: string;
  week: LocalDate;
  run: number;
}

export type StoredWeek = Reconciliation;

const zeroCounts = () => Object.fromEntries(DIFFERENCE_CATEGORIES.map((category) => [category, 0]));

/** The week's edges as the stored week has them. */
const boundsOf = (week: Pick<Reconciliation, 'periodStart' | 'periodEnd'>) => ({
  startMs: Date.parse(week.periodStart),
  endMs: Date.parse(week.periodEnd),
});

/** The week as stored, or as it is before anything was registered (not stored until then). */
export async function loadWeek(deps: AppDeps, entityId: string, name: string): Promise<StoredWeek> {
  const policy = await deps.store.settings.currentPolicy(entityId, deps.clock.now());
  const week = reconciliationWeek(name, await workingDayCalendar(deps), policy);
  const stored = await deps.store.reconciliations.get(entityId, week.week);
  if (stored) return stored;
  const now = toShanghaiIso(deps.clock.now());
  return {
    entityId,
    week: week.week,
    periodStart: week.periodStart,
    periodEnd: week.periodEnd,
    dueOn: week.dueOn,
    status: 'AWAITING_INPUTS',
    inputs: [],
    run: 0,
    version: 0,
    progress: { stage: 'WAITING', rowsRead: 0, partitions: 0, partitionsDone: 0 },
    counts: zeroCounts(),
    open: 0,
    totals: null,
    policyVersion: policy.version,
    revision: 0,
    createdAt: now,
    updatedAt: now,
  };
}

export async function getReconciliation(deps: AppDeps, caller: Person, name: string): Promise<StoredWeek> {
  requireRole(caller, ...RECONCILIATION_ROLES);
  return loadWeek(deps, caller.entityId, name);
}

/** Whether the week was stored before (revision 0 is the unstored week). */
const expectedRevisionOf = (week: StoredWeek) => (week.revision === 0 ? null : week.revision);

function event(
  actor: string,
  type: string,
  week: StoredWeek,
  details: Record<string, unknown>,
  at: string,
): AuditEvent {
  return { at, actor, type, version: week.run, details: { week: week.week, ...details } };
}

async function save(
  deps: AppDeps,
  read: StoredWeek,
  next: StoredWeek,
  audit: AuditEvent,
  extra: Pick<ReconciliationWrite, 'difference' | 'owed' | 'keptUpload'> = {},
): Promise<StoredWeek> {
  await deps.store.reconciliations.save({
    reconciliation: { ...next, version: next.run },
    expectedRevision: expectedRevisionOf(read),
    event: audit,
    ...extra,
  });
  if (extra.owed) await deps.workflowOutbox.written([extra.owed]);
  return next;
}

/** The owed answer to the sign-off wait of the week's current run. */
function signOffAnswer(week: StoredWeek, answer: WaitAnswer, revision: number, now: Date): OwedDelivery {
  const wait = signOffWaitOf(week.entityId, week.week, week.run);
  return owedAggregateAnswer(wait.aggregate, wait.kind, revision, answer, now);
}

/** A change to the week's results supersedes the run waiting for its sign-off: that wait is answered. */
function supersede(week: StoredWeek, revision: number, now: Date): OwedDelivery | undefined {
  if (week.status !== 'READY') return undefined;
  return signOffAnswer(week, { output: { superseded: true } }, revision, now);
}

// ——— 1. Inputs ———

export interface RegisterInput {
  kind: ReconciliationInputKind;
  uploadKey: string;
}

export async function registerInput(
  deps: AppDeps,
  caller: Person,
  name: string,
  input: RegisterInput,
): Promise<StoredWeek> {
  requireRole(caller, ...RECONCILIATION_ROLES);
  // The purpose's uploaders register it: merchandising its sheets, finance the statements.
  const roles = uploadRolesOf(PURPOSE_OF[input.kind]);
  if (roles) requireRole(caller, ...roles);
  const read = await loadWeek(deps, caller.entityId, name);
  if (read.status === 'RUNNING') {
    throw new ConflictError(
      'RECONCILIATION_RUNNING',
      '这一周正在对账，请等它完成后再登记新文件。The week is being reconciled; register the file once the run has finished.',
    );
  }
  const upload = await deps.store.uploads.get(input.uploadKey);
  if (upload === null || upload.owner !== caller.email) {
    throw new RuleViolationError(
      'RECONCILIATION_INPUT_INVALID',
      `${input.uploadKey} 不是你上传的文件，请先通过 POST /api/uploads 上传。${input.uploadKey} is not a file you uploaded; upload it first.`,
      { issues: [{ path: 'uploadKey', message: '不是你上传的文件 not a file you uploaded' }] },
    );
  }
  if (formUploadExpired(upload, deps.clock.now())) {
    // A week page's form upload not registered within its hold (the record expires with it).
    throw new RuleViolationError(
      'RECONCILIATION_INPUT_INVALID',
      '这个上传表单已过期，请重新打开本页并再选择一次文件。This upload form has expired; open the page again and choose the file once more.',
      { issues: [{ path: 'uploadKey', message: '上传表单已过期 the upload form has expired' }] },
    );
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'fundflow-input-'));
  try {
    const file = await downloadInput(deps, dir, input.uploadKey, upload.fileName, input.kind);
    // Read whole, a batch at a time, before anything is registered: a refused file leaves nothing.
    const statementFiles = await checkInput(input.kind, file, boundsOf(read));
    const now = deps.clock.now();
    const at = toShanghaiIso(now);
    const sameKind = read.inputs.filter((i) => i.kind === input.kind);
    if (sameKind.some((i) => i.uploadKey === input.uploadKey)) return read; // registered already: a repeat
    const registered: ReconciliationInput = {
      kind: input.kind,
      uploadKey: input.uploadKey,
      fileName: upload.fileName,
      version: sameKind.reduce((max, i) => Math.max(max, i.version), 0) + 1,
      registeredAt: at,
      registeredBy: caller.email,
      ...(statementFiles ? { statementFiles } : {}),
    };
    // A summary or master-data sheet replaces the one before; statements add up (seven daily bills).
    const replaced = input.kind === 'ALIPAY_STATEMENT' ? [] : sameKind;
    const reopens = read.status === 'READY' || read.status === 'SIGNED_OFF';
    const next: StoredWeek = {
      ...read,
      inputs: [...read.inputs.filter((i) => !replaced.includes(i)), registered],
      status: 'AWAITING_INPUTS',
      updatedAt: at,
      revision: read.revision + 1,
    };
    if (reopens) delete next.signedOff;
    return await save(
      deps,
      read,
      next,
      event(
        caller.email,
        'RECONCILIATION_INPUT_REGISTERED',
        read,
        {
          kind: input.kind,
          fileName: upload.fileName,
          uploadKey: input.uploadKey,
          inputVersion: registered.version,
          ...(replaced[0] ? { replaces: replaced[0].uploadKey } : {}),
          // A new input after a run or the sign-off reopens the week: it must run again.
          ...(reopens ? { reopened: read.status } : {}),
        },
        at,
      ),
      {
        owed: supersede(read, next.revision, now),
        // A page form's upload is held until registered: registered, it is kept as an API upload is.
        ...(upload.heldUntil !== undefined ? { keptUpload: input.uploadKey } : {}),
      },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The stored upload, streamed to a local file; its first bytes must be a kind the input takes. */
async function downloadInput(
  deps: AppDeps,
  dir: string,
  key: string,
  fileName: string,
  kind: ReconciliationInputKind,
): Promise<InputFile> {
  const start = await deps.evidence.readStart(key, SNIFF_BYTES);
  const sniffed = start ? await sniffFile(start, { complete: false }) : null;
  // A text file is told from its first bytes here; its readers decode every line after.
  const name = sniffed === 'incomplete' ? 'csv' : (sniffed?.name ?? null);
  if (name === null || !KINDS_OF[kind].includes(name)) {
    throw new RuleViolationError(
      'RECONCILIATION_INPUT_INVALID',
      `${fileName}：文件内容不是${kind === 'ALIPAY_STATEMENT' ? '支付宝对账单（CSV 或 .csv.zip）' : 'CSV 或 XLSX 表格'}。Its content is not ${kind === 'ALIPAY_STATEMENT' ? 'an Alipay statement (CSV or .csv.zip)' : 'a CSV or XLSX sheet'}.`,
      { issues: [{ path: 'uploadKey', message: `${fileName}: ${name ?? 'unknown'}` }] },
    );
  }
  const local = path.join(dir, `input.${name}`);
  if (!(await deps.evidence.download(key, local))) {
    throw new RuleViolationError(
      'RECONCILIATION_INPUT_INVALID',
      `${fileName} 还没有上传完。${fileName} has not been uploaded yet.`,
      { issues: [{ path: 'uploadKey', message: '文件不在 not stored' }] },
    );
  }
  return { name: fileName, path: local };
}

/** Reads the file through the engine's own readers: what would refuse it on the run refuses it now. */
async function checkInput(
  kind: ReconciliationInputKind,
  file: InputFile,
  week: { startMs: number; endMs: number },
): Promise<ReconciliationInput['statementFiles']> {
  // The readers (and exceljs, yauzl, the decoders) load with the first file read, not at cold start.
  const { readMasterData, readSalesSummary } = await import('./sheets.ts');
  const { readAlipayStatement, readStatementHeaders } = await import('./alipay.ts');
  if (kind === 'SALES_SUMMARY') {
    for await (const _ of readSalesSummary(file));
    return undefined;
  }
  if (kind === 'MASTER_DATA') {
    for await (const _ of readMasterData(file));
    return undefined;
  }
  const headers = await readStatementHeaders(file, week);
  // The footer totals against the rows, every id checked (scientific notation: re-saved by Excel).
  for await (const _ of readAlipayStatement(file, week));
  return headers.map((h) => ({
    name: h.file,
    kind: h.kind,
    rangeStartMs: h.rangeStartMs,
    rangeEndMs: h.rangeEndMs,
  }));
}

// ——— 2. Run ———

export async function runReconciliation(deps: AppDeps, caller: Person, name: string): Promise<StoredWeek> {
  requireRole(caller, ...RECONCILIATION_ROLES);
  const read = await loadWeek(deps, caller.entityId, name);
  // A repeat (a double click) while it runs is the same run.
  if (read.status === 'RUNNING') return read;
  if (read.status === 'SIGNED_OFF') {
    throw new ConflictError(
      'RECONCILIATION_SIGNED_OFF',
      '这一周已经签核。要重新对账，请先重新打开并说明原因。The week is signed off; reopen it with a reason to run it again.',
    );
  }
  if (read.status === 'READY') return read; // its results stand until an input changes
  const summaries = read.inputs.filter((i) => i.kind === 'SALES_SUMMARY');
  const statements = read.inputs.filter((i) => i.kind === 'ALIPAY_STATEMENT');
  const missing = [
    ...(summaries.length === 0 ? ['销售情况汇总表 the sales summary'] : []),
    ...(statements.length === 0 ? ['支付宝对账单 an Alipay statement'] : []),
  ];
  if (missing.length > 0) {
    throw new RuleViolationError(
      'RECONCILIATION_INPUTS_MISSING',
      `还缺：${missing.join('、')}。Still missing: ${missing.join(', ')}.`,
      { issues: missing.map((message) => ({ path: 'inputs', message })) },
    );
  }
  // The statements together must cover the week before it can run.
  const { uncoveredFrom } = await import('./alipay.ts');
  const gap = uncoveredFrom(
    statements.flatMap((s) =>
      (s.statementFiles ?? []).map((f) => ({ ...f, file: f.name, account: '', rangeLine: 0 })),
    ),
    boundsOf(read),
  );
  if (gap !== null) {
    const from = new Date(gap + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
    throw new ReconciliationInputError(
      'STATEMENTS_DO_NOT_COVER_WEEK',
      `支付宝对账单没有覆盖这一周从 ${from}（北京时间）起的时间，请补上缺少那几天的账单。The Alipay statements do not cover the week from ${from} (Beijing time) on; add the bill of the missing days.`,
      null,
    );
  }
  const now = deps.clock.now();
  const at = toShanghaiIso(now);
  const run = read.run + 1;
  const next: StoredWeek = {
    ...read,
    status: 'RUNNING',
    run,
    version: run,
    progress: { stage: 'READING', rowsRead: 0, partitions: 0, partitionsDone: 0 },
    updatedAt: at,
    revision: read.revision + 1,
  };
  delete next.refusal;
  const start = owedStart(
    {
      machine: RECONCILIATION_WORKFLOW,
      executionName: executionNameOf(read.entityId, read.week, run),
      input: { entityId: read.entityId, week: read.week, run } satisfies RunInput,
    },
    now,
  );
  return save(deps, read, next, event(caller.email, 'RECONCILIATION_RUN_STARTED', next, { run }, at), {
    owed: start,
  });
}

// ——— 3. Differences and the sign-off ———

export async function listDifferences(
  deps: AppDeps,
  caller: Person,
  name: string,
  query: { category?: string; status?: DifferenceStatus; cursor?: string; limit?: number },
) {
  const week = await getReconciliation(deps, caller, name);
  if (week.run === 0) return { items: [], nextCursor: null };
  return deps.store.reconciliations.listDifferences(week.entityId, week.week, week.run, {
    ...(query.category ? { category: query.category } : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(query.cursor ? { cursor: query.cursor } : {}),
    limit: query.limit ?? 100,
  });
}

export async function resolveDifference(
  deps: AppDeps,
  caller: Person,
  name: string,
  id: string,
  input: { resolution: 'EXPLAINED' | 'CORRECTED'; note: string },
): Promise<StoredDifference> {
  requireRole(caller, ...RECONCILIATION_SIGN_OFF_ROLES);
  const read = await loadWeek(deps, caller.entityId, name);
  if (read.status !== 'READY') {
    throw new ConflictError(
      read.status === 'SIGNED_OFF' ? 'RECONCILIATION_SIGNED_OFF' : 'RECONCILIATION_NOT_READY',
      read.status === 'SIGNED_OFF'
        ? '这一周已经签核，差异不能再改。The week is signed off; its differences cannot change.'
        : '这一周还没有对账结果。The week has no results to resolve yet.',
    );
  }
  const difference = await deps.store.reconciliations.getDifference(read.entityId, read.week, read.run, id);
  if (!difference) throw new NotFoundError(`没有差异 ${id}。There is no difference ${id}.`);
  if (difference.status !== 'OPEN') {
    throw new ConflictError(
      'DIFFERENCE_RESOLVED_ALREADY',
      '这条差异已经处理过了。This difference has been resolved already.',
    );
  }
  const at = toShanghaiIso(deps.clock.now());
  const resolved: StoredDifference = {
    ...difference,
    status: input.resolution,
    resolution: { note: input.note, by: caller.email, at },
  };
  await save(
    deps,
    read,
    { ...read, open: read.open - 1, updatedAt: at, revision: read.revision + 1 },
    event(
      caller.email,
      'RECONCILIATION_DIFFERENCE_RESOLVED',
      read,
      {
        differenceId: id,
        category: difference.category,
        resolution: input.resolution,
        note: input.note,
      },
      at,
    ),
    { difference: resolved },
  );
  return resolved;
}

export async function signOff(deps: AppDeps, caller: Person, name: string): Promise<StoredWeek> {
  requireRole(caller, ...RECONCILIATION_SIGN_OFF_ROLES);
  const read = await loadWeek(deps, caller.entityId, name);
  if (read.status === 'SIGNED_OFF') return read; // a repeat
  if (read.status !== 'READY') {
    throw new ConflictError(
      'RECONCILIATION_NOT_READY',
      '这一周还没有对账结果，不能签核。The week has no results to sign off yet.',
    );
  }
  // POLICY 3.2, D11: signed off only when every difference is explained or corrected.
  if (read.open > 0) {
    throw new ConflictError(
      'RECONCILIATION_DIFFERENCES_OPEN',
      `还有 ${read.open} 条差异没有处理，处理完才能签核。${read.open} differences are still open; resolve each before signing off.`,
    );
  }
  const now = deps.clock.now();
  const at = toShanghaiIso(now);
  const next: StoredWeek = {
    ...read,
    status: 'SIGNED_OFF',
    signedOff: { by: caller.email, at },
    updatedAt: at,
    revision: read.revision + 1,
  };
  return save(deps, read, next, event(caller.email, 'RECONCILIATION_SIGNED_OFF', read, {}, at), {
    owed: signOffAnswer(read, { output: { signedOffBy: caller.email, signedOffAt: at } }, next.revision, now),
  });
}

export async function reopen(
  deps: AppDeps,
  caller: Person,
  name: string,
  reason: string,
): Promise<StoredWeek> {
  requireRole(caller, ...RECONCILIATION_SIGN_OFF_ROLES);
  const read = await loadWeek(deps, caller.entityId, name);
  if (read.status !== 'SIGNED_OFF') {
    throw new ConflictError(
      'RECONCILIATION_NOT_SIGNED_OFF',
      '只有已签核的一周才能重新打开。Only a signed-off week can be reopened.',
    );
  }
  const at = toShanghaiIso(deps.clock.now());
  const next: StoredWeek = { ...read, status: 'AWAITING_INPUTS', updatedAt: at, revision: read.revision + 1 };
  delete next.signedOff;
  return save(deps, read, next, event(caller.email, 'RECONCILIATION_REOPENED', read, { reason }, at));
}
