/**
 * Submit a payment voucher (POLICY 2.1, 2.2; D1, D2, D7, D8, D14, D17, D18).
 *
 * Primary course:
 *  1. A repeated request (same applicant, same Idempotency-Key) returns the voucher it created; the
 *     same key with a different body is refused.
 *  2. Read what the rules need: the policy version, the supplier, the orders, the evidence, the
 *     directory, and the vouchers the new one could be a split of.
 *  3. Apply the rules: settled orders without open disputes, an amount the orders still owe, evidence
 *     present, payee checks, split aggregation, the approval route.
 *  4. Store the files sent with the submission (the page's form), now that nothing refuses it.
 *  5. Write everything in one transaction, conditional on what was read — with the approval
 *     execution it owes the workflow (lib/workflow/outbox.ts) — and on a lost race, start again.
 *  6. Tell the outbox, which may start the execution at once; the stream and the sweep start it
 *     whatever happens to this request after the write.
 */

import { createHash } from 'node:crypto';
import type { AppDeps } from '../app.ts';
import { requireRole } from '../domain/access.ts';
import { compactAccount, editedAccount, maskAccount } from '../domain/accounts.ts';
import { approvalRouteFor } from '../domain/approval-route.ts';
import {
  ConflictError,
  IdempotencyKeyReusedError,
  NotFoundError,
  RuleViolationError,
  ValidationError,
} from '../domain/errors.ts';
import type {
  AuditEvent,
  Fen,
  LocalDate,
  Payee,
  Person,
  Supplier,
  Voucher,
  VoucherFlag,
} from '../domain/model.ts';
import { formatFen, parseYuan } from '../domain/money.ts';
import { allocateAmount, assertOrdersPayable, remainingPayableFen } from '../domain/orders.ts';
import type { PolicySettings } from '../domain/policy.ts';
import { type SplitCandidate, splitGroupFor } from '../domain/split.ts';
import { pendingChangeFlags } from '../domain/supplier-change.ts';
import { payeeFlags } from '../domain/supplier-checks.ts';
import { shanghaiDate, toShanghaiIso } from '../domain/time.ts';
import { advance, allows, assertTransition } from '../domain/voucher-lifecycle.ts';
import { formatVoucherNumber } from '../domain/voucher-number.ts';
import { newId } from '../ids.ts';
import { retryingLostRaces } from '../platform/change.ts';
import { type OwedStart, owedStart } from '../platform/owed-deliveries.ts';
import {
  ChangeTooLargeError,
  MAX_VOUCHERS_PER_SUPPLIER_DAY,
  type SubmissionPlan,
  type SupplierDay,
} from '../platform/store.ts';
import { checkUploadedFiles, storeUploadedFiles, type UploadedFile } from '../uploads/create-upload.ts';
import { assertStoredFile } from '../uploads/stored-files.ts';
import { voucherWorkflowStart } from '../workflow/approval-states.ts';

export interface SubmitVoucherInput {
  idempotencyKey: string;
  supplierId: string;
  payee: Payee;
  /** Yuan as typed, e.g. "500,000.00"; parsed under the entity's policy (ceiling). */
  amount: string;
  orderIds: string[];
  goods: string;
  evidence: string[];
  /**
   * Files sent with the submission itself (the page's form, no JavaScript): checked with everything
   * else and stored only once nothing refuses the voucher, so a refused form leaves no file behind.
   * They join `evidence` in the order sent.
   */
  files?: EvidenceFile[];
}

/** A file sent with the submission: its name, declared type and bytes (the type is checked against the bytes). */
export type EvidenceFile = Omit<UploadedFile, 'purpose'>;

/**
 * POLICY D19: the edit of a rejected voucher. The applicant saw the stored account masked; left out or
 * sent back masked, the stored account is kept (lib/domain/accounts.ts `editedAccount`).
 */
export interface ResubmitVoucherInput extends Omit<SubmitVoucherInput, 'payee'> {
  payee: Omit<Payee, 'account'> & { account?: string | undefined };
}

export interface SubmitVoucherResult {
  voucher: Voucher;
  /** True when this request repeated an earlier one and nothing new was written. */
  replayed: boolean;
}

/** Idempotency records outlive any sensible retry window. */
const IDEMPOTENCY_TTL_SECONDS = 7 * 24 * 3600;
/**
 * Every submission of an entity's day moves that day's number counter, so submissions at the same
 * moment race for it (the loser re-reads and takes the next place): enough tries for a burst, each
 * after a short random pause so the racers spread out.
 */
const MAX_ATTEMPTS = 10;
const RETRY_PAUSE_MS = 15;

/** You sent this voucher already (the form again after Back): which one, instead of "the orders owe 0.00". */
export class AlreadySubmittedError extends ConflictError {
  constructor(
    readonly voucherId: string,
    readonly number: string | undefined,
  ) {
    const name = number ? `${number}（${voucherId}）` : voucherId;
    super(
      'ALREADY_SUBMITTED',
      `您已经提交过这张凭单：${name}，这些订单已没有余额可再申请。You already submitted this voucher: ${number ?? voucherId}; its orders owe nothing more to claim.`,
    );
  }
}

export async function submitVoucher(
  deps: AppDeps,
  applicant: Person,
  input: SubmitVoucherInput,
): Promise<SubmitVoucherResult> {
  return submitWithRetries(deps, applicant, input, null);
}

/**
 * POLICY D19: the applicant edits a rejected voucher; the edit is a new version that goes through
 * every check again and restarts the whole approval chain.
 */
export async function resubmitVoucher(
  deps: AppDeps,
  applicant: Person,
  voucherId: string,
  input: ResubmitVoucherInput,
): Promise<SubmitVoucherResult> {
  return submitWithRetries(deps, applicant, input, voucherId);
}

async function submitWithRetries(
  deps: AppDeps,
  applicant: Person,
  input: ResubmitVoucherInput,
  resubmitting: string | null,
): Promise<SubmitVoucherResult> {
  requireRole(applicant, 'MERCHANDISER');
  const requestHash = hashRequest({ ...input, resubmitting });
  // The files are stored once, whatever a lost race tries again.
  let stored: Promise<string[]> | undefined;
  const storeFiles = () => (stored ??= storeUploadedFiles(deps, applicant, input.files ?? []));
  let tries = 0;
  const { owed, ...result } = await retryingLostRaces(async () => {
    tries += 1;
    if (tries > 1) await pause(Math.random() * RETRY_PAUSE_MS * tries);
    return attemptSubmission(deps, applicant, input, requestHash, resubmitting, storeFiles);
  }, MAX_ATTEMPTS);
  // 6. The start was written with the voucher: a replay owes nothing new, and whether this request
  // lives on or not, the stream and the sweep start the execution (idempotent by its name).
  if (owed) await deps.workflowOutbox.written([owed]);
  return result;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function rejectedVoucher(deps: AppDeps, applicant: Person, voucherId: string): Promise<Voucher> {
  const voucher = await deps.store.vouchers.get(voucherId);
  if (!voucher || voucher.applicant !== applicant.email)
    throw new NotFoundError(`没有您的凭单 ${voucherId}。No voucher ${voucherId} of yours.`);
  if (!allows(voucher.status, 'RESUBMIT')) {
    throw new ConflictError(
      'NOT_REJECTED',
      `只有被退回的凭单可以修改，这张凭单现在不是退回状态。Only a rejected voucher can be edited; this one is ${voucher.status.toLowerCase().replaceAll('_', ' ')}.`,
    );
  }
  if (!voucher.claimsReleased) {
    throw new ConflictError(
      'CONCURRENT_UPDATE',
      '退回还在记录中，请稍后再试。The rejection is still being recorded; try again in a moment.',
    );
  }
  return voucher;
}

async function attemptSubmission(
  deps: AppDeps,
  applicant: Person,
  request: ResubmitVoucherInput,
  requestHash: string,
  resubmitting: string | null,
  storeFiles: () => Promise<string[]>,
): Promise<SubmitVoucherResult & { owed?: OwedStart }> {
  const { store } = deps;
  // 1. Idempotent replay.
  const replay = await store.vouchers.idempotencyRecord(applicant.email, request.idempotencyKey);
  if (replay) {
    if (replay.requestHash !== requestHash) {
      throw new IdempotencyKeyReusedError(
        '这个提交编号已用于另一张凭单，新凭单请用新的编号。This Idempotency-Key was already used for a different voucher; use a new key for a new voucher.',
      );
    }
    const voucher = await store.vouchers.get(replay.voucherId);
    if (!voucher) throw new Error(`idempotency record points at missing voucher ${replay.voucherId}`);
    return { voucher, replayed: true };
  }
  const previous = resubmitting ? await rejectedVoucher(deps, applicant, resubmitting) : null;

  // 2. Read.
  const now = deps.clock.now();
  const policy = await store.settings.currentPolicy(applicant.entityId, now);
  const amountFen = parseAmount(request.amount, policy);
  // POLICY D19: each edit is a version whose approvals the voucher keeps; their number is bounded.
  if (previous && previous.version + 1 > policy.maxVersionsPerVoucher) {
    throw new RuleViolationError(
      'TOO_MANY_VERSIONS',
      `凭单 ${previous.id} 已有 ${policy.maxVersionsPerVoucher} 个版本，不能再修改；请为这些订单提交新凭单。Voucher ${previous.id} has reached ${policy.maxVersionsPerVoucher} versions and cannot be edited again; submit a new voucher for these orders.`,
    );
  }
  if (request.orderIds.length > policy.maxOrdersPerVoucher) {
    throw new ValidationError(
      `一张凭单最多引用 ${policy.maxOrdersPerVoucher} 个订单。A voucher may cite at most ${policy.maxOrdersPerVoucher} orders.`,
      {
        issues: [
          {
            path: 'orderIds',
            message: `最多 ${policy.maxOrdersPerVoucher} 个订单 at most ${policy.maxOrdersPerVoucher} orders`,
          },
        ],
      },
    );
  }
  const supplier = await store.suppliers.get(request.supplierId);
  if (!supplier || supplier.entityId !== applicant.entityId) {
    throw new RuleViolationError(
      'SUPPLIER_NOT_FOUND',
      `供应商档案中没有 ${request.supplierId}。Supplier ${request.supplierId} is not in the master data.`,
      {
        issues: [{ path: 'supplierId', message: '供应商档案中没有 not in the supplier records' }],
      },
    );
  }
  const input: SubmitVoucherInput = {
    ...request,
    payee: { ...request.payee, account: payeeAccount(request.payee.account, previous, supplier) },
  };
  const orders = await store.orders.getMany(input.orderIds);
  const heldUploads = await checkEvidence(deps, applicant, input.evidence, input.files ?? [], policy);

  // 3. Rules. POLICY 2.1(1), D7: only settled orders without an open dispute.
  assertOrdersPayable({ supplierId: supplier.id, orderIds: input.orderIds, orders });
  const orderList = input.orderIds.map((id) => orders.get(id)).filter((order) => order !== undefined);
  // The same voucher sent again (the form after Back, with a fresh key): the orders owe nothing more
  // because this very person's voucher claimed it — say which, not "they owe 0.00".
  if (!previous && amountFen > orderList.reduce((sum, order) => sum + remainingPayableFen(order), 0)) {
    await refuseIfSentBefore(deps, applicant, input, amountFen);
  }
  // The amount may not exceed what the orders still owe the supplier.
  const allocations = allocateAmount(amountFen, orderList);

  const submittedOn = shanghaiDate(now);
  const submittedAt = toShanghaiIso(now);
  const voucherId = previous?.id ?? newId(now.getTime());
  const version = (previous?.version ?? 0) + 1;
  const supplierDay = await store.vouchers.supplierDay(supplier.id, submittedOn);
  const dayEntries = Object.entries(supplierDay?.vouchers ?? {}).filter(([id]) => id !== voucherId);
  if (dayEntries.length >= MAX_VOUCHERS_PER_SUPPLIER_DAY) {
    throw new RuleViolationError(
      'SUPPLIER_DAY_FULL',
      `今天给该供应商的凭单已达 ${MAX_VOUCHERS_PER_SUPPLIER_DAY} 张，请联系财务。${MAX_VOUCHERS_PER_SUPPLIER_DAY} vouchers to ${supplier.id} were submitted today already; ask finance.`,
    );
  }
  const candidate: SplitCandidate = {
    voucherId,
    amountFen,
    orderIds: input.orderIds,
    supplierId: supplier.id,
    submittedOn,
  };
  const neighbours = await splitNeighbours(deps, input.orderIds, supplierDay);
  // POLICY D2: vouchers sharing an order, or to the same supplier on the same day, are summed.
  const group = splitGroupFor(candidate, [...neighbours.values()], policy.ceoThresholdFen);

  const people = await store.people.listByEntity(applicant.entityId);
  // POLICY 2.2(1)(2), D1, D18: who approves, and whether the CEO must.
  const route = approvalRouteFor({
    applicant,
    amountFen,
    splitAggregateFen: group.aggregateFen,
    people,
    policy,
  });
  const flags: VoucherFlag[] = [
    ...payeeFlags(input.payee, supplier),
    // POLICY D8: paying the new details of a change still under review is finance's to confirm.
    ...pendingChangeFlags(input.payee, await store.supplierChanges.listBySupplier(supplier.id)),
  ];
  if (group.possibleSplit) flags.push(possibleSplitFlag(group.aggregateFen, group.memberIds));

  // The short number: a new voucher takes the next place of its entity's day; an edit keeps its own.
  const number = previous?.number ? null : await nextNumber(deps, applicant.entityId, submittedOn);
  const voucher: Voucher = {
    id: voucherId,
    ...(previous?.number ? { number: previous.number } : number ? { number: number.value } : {}),
    version,
    revision: (previous?.revision ?? 0) + 1,
    entityId: applicant.entityId,
    // POLICY 2.1, D19: a new voucher, or the edit of a rejected one, by the voucher's lifecycle.
    status: assertTransition(previous, previous ? 'RESUBMIT' : 'SUBMIT', {
      kind: 'PERSON',
      email: applicant.email,
      roles: applicant.roles,
    }),
    applicant: applicant.email,
    supplierId: supplier.id,
    supplierName: supplier.name,
    payee: input.payee,
    amountFen,
    orderIds: input.orderIds,
    allocations,
    goods: input.goods,
    evidence: input.evidence,
    route,
    flags,
    submittedOn,
    submittedAt,
    updatedAt: submittedAt,
    policyVersion: policy.version,
    ...(previous?.approvals ? { approvals: previous.approvals } : {}),
  };

  const escalations = group.possibleSplit
    ? await escalateGroup(deps, group.memberIds, group.aggregateFen, voucherId, people, policy, submittedAt)
    : [];
  const ordersVersion = new Map(orderList.map((order) => [order.orderId, order.version]));
  const plan: SubmissionPlan = {
    voucher,
    previousRevision: previous?.revision ?? null,
    event: {
      at: submittedAt,
      actor: applicant.email,
      type: previous ? 'VOUCHER_RESUBMITTED' : 'VOUCHER_SUBMITTED',
      version,
      details: {
        amountFen,
        allocations,
        route: route.steps.map((step) => `${step.step}:${step.assignee}`),
        flags: flags.map((flag) => flag.code),
        policyVersion: policy.version,
      },
    },
    idempotency: {
      applicant: applicant.email,
      key: input.idempotencyKey,
      requestHash,
      voucherId,
      createdAt: submittedAt,
      expiresAt: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS,
    },
    orders: allocations.map((allocation) => ({
      orderId: allocation.orderId,
      allocatedFen: allocation.amountFen,
      expectedVersion: ordersVersion.get(allocation.orderId) ?? 0,
    })),
    supplierDay: {
      expectedVersion: supplierDay?.version ?? null,
      next: {
        supplierId: supplier.id,
        day: submittedOn,
        version: (supplierDay?.version ?? 0) + 1,
        vouchers: {
          // Only what the split sum needs (older items also kept each voucher's orders).
          ...Object.fromEntries(
            dayEntries.map(([id, entry]) => [id, { amountFen: entry.amountFen, status: entry.status }]),
          ),
          [voucherId]: { amountFen, status: 'SUBMITTED' },
        },
      },
    },
    escalations,
    owed: owedStart(voucherWorkflowStart({ voucherId, version }), now),
    ...(number ? { number } : {}),
    ...(heldUploads.length > 0 ? { heldUploads } : {}),
  };
  // 4. The files sent along, stored now that nothing refused the voucher.
  const files = await storeFiles();
  const submitted = files.length > 0 ? { ...voucher, evidence: [...request.evidence, ...files] } : voucher;
  // 5. Write — all of it in one transaction, or refused before anything is written.
  try {
    await store.vouchers.submit({ ...plan, voucher: submitted });
  } catch (error) {
    if (error instanceof ChangeTooLargeError) {
      throw new RuleViolationError(
        'SPLIT_GROUP_TOO_LARGE',
        '这张凭单所在的同组凭单太多，无法一次改走 CEO 审批，请联系财务审核这组凭单。This voucher joins a group of vouchers too large to re-route in one step; ask finance to review the group.',
        { cause: error },
      );
    }
    throw error;
  }
  return { voucher: submitted, replayed: false, owed: plan.owed };
}

/**
 * A new voucher's account as typed — in full, or the supplier's master-data account exactly as the
 * form showed it masked (`**** **** 5678`: the merchandiser never sees the full one, POLICY D8 and
 * issue 10's ruling), which keeps that account; any other masked one names no account to pay. An
 * edit's as `editedAccount` reads it against the stored one (D19).
 */
function payeeAccount(typed: string | undefined, previous: Voucher | null, supplier: Supplier): string {
  if (previous) return editedAccount(typed, previous.payee.account);
  if (typed !== undefined && !typed.includes('*')) return typed;
  if (typed !== undefined && compactAccount(typed) === compactAccount(maskAccount(supplier.bankAccount))) {
    return supplier.bankAccount;
  }
  const message = '请输入完整的收款账号。Type the full receiving account number.';
  throw new ValidationError(message, { issues: [{ path: 'payee.account', message }] });
}

/** The next place of the entity's day: read now, claimed in the submission's transaction (or re-read). */
async function nextNumber(
  deps: AppDeps,
  entityId: string,
  day: LocalDate,
): Promise<NonNullable<SubmissionPlan['number']>> {
  const last = await deps.store.vouchers.lastNumberOn(entityId, day);
  return {
    entityId,
    day,
    expectedLast: last,
    sequence: last + 1,
    value: formatVoucherNumber(day, last + 1),
  };
}

/**
 * The applicant's own voucher with this very content (supplier, orders, amount), still standing —
 * the one a form sent again after Back would make twice: refused by naming it.
 */
async function refuseIfSentBefore(
  deps: AppDeps,
  applicant: Person,
  input: SubmitVoucherInput,
  amountFen: Fen,
): Promise<void> {
  const sameOrders = (ids: readonly string[]) =>
    ids.length === input.orderIds.length && ids.every((id) => input.orderIds.includes(id));
  const [first] = input.orderIds;
  if (first === undefined) return;
  const links = await deps.store.orders.voucherLinks(first);
  for (const link of links) {
    if (link.status === 'REJECTED' || link.voucherAmountFen !== amountFen || !sameOrders(link.orderIds))
      continue;
    const earlier = await deps.store.vouchers.get(link.voucherId);
    if (
      earlier &&
      earlier.applicant === applicant.email &&
      earlier.supplierId === input.supplierId &&
      earlier.status !== 'REJECTED'
    ) {
      throw new AlreadySubmittedError(earlier.id, earlier.number);
    }
  }
}

function parseAmount(amount: string, policy: PolicySettings): Fen {
  try {
    return parseYuan(amount, { ceilingFen: policy.amountCeilingFen });
  } catch (error) {
    if (error instanceof ValidationError) {
      throw new ValidationError(error.message, {
        issues: [{ path: 'amount', message: error.message }],
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * POLICY 2.1(2): the order screenshot (or other evidence) must be there, uploaded by the applicant or
 * sent with the submission, at most the policy's number of files, each an image or PDF by its bytes
 * (DESIGN.md decision 15). The keys of the cited files a refused form kept (held) are returned: the
 * submission keeps them for good.
 */
async function checkEvidence(
  deps: AppDeps,
  applicant: Person,
  evidence: readonly string[],
  files: readonly EvidenceFile[],
  policy: PolicySettings,
): Promise<string[]> {
  await checkUploadedFiles(deps, applicant, files);
  if (evidence.length + files.length === 0) {
    throw new RuleViolationError(
      'EVIDENCE_REQUIRED',
      '请附上订单详情截图（至少一个文件）。Attach the order screenshot (at least one evidence file).',
      {
        issues: [{ path: 'evidence', message: '至少一个文件 at least one file' }],
      },
    );
  }
  if (evidence.length + files.length > policy.maxEvidencePerVoucher) {
    const max = policy.maxEvidencePerVoucher;
    throw new ValidationError(`一张凭单最多附 ${max} 个文件。At most ${max} files on a voucher.`, {
      issues: [{ path: 'evidence', message: `最多 ${max} 个文件 at most ${max} files` }],
    });
  }
  // One file cited twice is a mistake (or a way to grow the voucher); each file once.
  const repeats = evidence.flatMap((key, index) =>
    evidence.indexOf(key) < index
      ? [{ path: `evidence.${index}`, message: `${key} 引用了两次 is cited twice` }]
      : [],
  );
  if (repeats[0]) {
    throw new ValidationError(`${repeats[0].message}；每个文件只引用一次。Cite each file once.`, {
      issues: repeats,
    });
  }
  const now = deps.clock.now().getTime();
  const held: string[] = [];
  const issues: { path: string; message: string }[] = [];
  for (const [index, key] of evidence.entries()) {
    const path = `evidence.${index}`;
    const upload = await deps.store.uploads.get(key);
    if (!upload || upload.owner !== applicant.email) {
      issues.push({ path, message: `${key} 不是您上传的文件 is not an upload of yours` });
      continue;
    }
    if (upload.heldUntil !== undefined) {
      // A file kept for a refused form, past its hold: as good as gone (its record expires).
      if (Date.parse(upload.heldUntil) <= now) {
        issues.push({
          path,
          message: `${upload.fileName} 保留已过期，请重新选择文件 was kept too long ago; choose the file again`,
        });
        continue;
      }
      held.push(key);
    }
    if (!(await deps.evidence.head(key))) {
      issues.push({
        path,
        message: `${upload.fileName} 从未上传（请先上传）was never uploaded (PUT it first)`,
      });
      continue;
    }
    try {
      await assertStoredFile(deps, policy, 'evidence', {
        key,
        path,
        fileName: upload.fileName,
        declared: upload.contentType,
      });
    } catch (error) {
      if (!(error instanceof RuleViolationError)) throw error;
      issues.push(...error.issues);
    }
  }
  const first = issues[0];
  if (first) {
    throw new RuleViolationError('EVIDENCE_INVALID', `附件有问题 Evidence problem: ${first.message}`, {
      issues,
    });
  }
  return held;
}

/** The vouchers a new one could be a split of: same orders, or same supplier the same day (D2). */
async function splitNeighbours(
  deps: AppDeps,
  orderIds: readonly string[],
  supplierDay: SupplierDay | null,
): Promise<Map<string, SplitCandidate>> {
  const neighbours = new Map<string, SplitCandidate>();
  for (const [voucherId, entry] of Object.entries(supplierDay?.vouchers ?? {})) {
    if (entry.status === 'REJECTED' || !supplierDay) continue;
    neighbours.set(voucherId, {
      voucherId,
      amountFen: entry.amountFen,
      // Same supplier, same day: in the group whatever its orders (POLICY D2).
      orderIds: [],
      supplierId: supplierDay.supplierId,
      submittedOn: supplierDay.day,
    });
  }
  for (const orderId of orderIds) {
    for (const link of await deps.store.orders.voucherLinks(orderId)) {
      if (link.status === 'REJECTED') continue;
      neighbours.set(link.voucherId, {
        voucherId: link.voucherId,
        amountFen: link.voucherAmountFen,
        orderIds: link.orderIds,
        supplierId: link.supplierId,
        submittedOn: link.submittedOn,
      });
    }
  }
  return neighbours;
}

/** The members a split flag names; a larger group is counted, so the flag stays small (item size). */
const SPLIT_MEMBERS_NAMED = 5;

export function possibleSplitFlag(aggregateFen: Fen, memberIds: readonly string[]): VoucherFlag {
  const named = memberIds.slice(0, SPLIT_MEMBERS_NAMED).join(', ');
  const more = memberIds.length - SPLIT_MEMBERS_NAMED;
  return {
    code: 'POSSIBLE_SPLIT',
    message: `与同组另外 ${memberIds.length} 张凭单合计 ${formatFen(aggregateFen)} 元，整组需 CEO 审批。Together with ${named}${more > 0 ? ` and ${more} more` : ''} this reaches ${formatFen(aggregateFen)} yuan; the CEO approves the whole group (POLICY D2).`,
  };
}

/**
 * POLICY D2: every voucher of a split group needs the CEO. Earlier members still waiting for their
 * first decision get the CEO added to their route and the flag, in the same transaction.
 */
async function escalateGroup(
  deps: AppDeps,
  memberIds: readonly string[],
  aggregateFen: Fen,
  triggeredBy: string,
  people: readonly Person[],
  policy: PolicySettings,
  at: string,
): Promise<SubmissionPlan['escalations']> {
  const escalations: SubmissionPlan['escalations'] = [];
  for (const memberId of memberIds) {
    const member = await deps.store.vouchers.get(memberId);
    // Only a voucher whose chain has not passed its first decision can still take the CEO step;
    // later ones keep the flag for finance (the CEO choice reads the route at the first decision).
    const undecided = !(member?.approvals ?? []).some((approval) => approval.version === member?.version);
    if (!member || !allows(member.status, 'ESCALATE_SPLIT_ROUTE') || !undecided) continue;
    const alreadyFlagged = member.flags.some((flag) => flag.code === 'POSSIBLE_SPLIT');
    if (member.route.requiresCeo && alreadyFlagged) continue;
    const memberApplicant = people.find((person) => person.email === member.applicant);
    if (!memberApplicant) continue;
    const route = approvalRouteFor({
      applicant: memberApplicant,
      amountFen: member.amountFen,
      splitAggregateFen: aggregateFen,
      people,
      policy: { ...policy, ceoThresholdFen: member.route.thresholdFen },
    });
    const flags = alreadyFlagged
      ? member.flags
      : [...member.flags, possibleSplitFlag(aggregateFen, [triggeredBy])];
    escalations.push({
      voucher: advance(member, { ...member, route, flags }, 'ESCALATE_SPLIT_ROUTE', { kind: 'WORKFLOW' }, at),
      expectedRevision: member.revision,
      event: {
        at,
        actor: 'fundflow',
        type: 'ROUTE_ESCALATED_SPLIT',
        version: member.version,
        details: { triggeredBy, aggregateFen, requiresCeo: route.requiresCeo },
      } satisfies AuditEvent,
    });
  }
  return escalations;
}

/** Canonical hash of what was asked, so a replay can be told from a different voucher. */
function hashRequest(input: ResubmitVoucherInput & { resubmitting: string | null }): string {
  let amount: string | number = input.amount;
  try {
    amount = parseYuan(input.amount, { ceilingFen: Number.MAX_SAFE_INTEGER });
  } catch {
    // an unparseable amount is refused later; hash it as typed
  }
  const canonical = JSON.stringify([
    input.resubmitting,
    input.supplierId,
    input.payee.name,
    input.payee.account ?? null,
    input.payee.bank,
    amount,
    input.orderIds,
    input.goods,
    input.evidence,
    ...(input.files?.length
      ? [
          input.files.map((file) => [
            file.fileName,
            file.contentType,
            createHash('sha256').update(file.body).digest('hex'),
          ]),
        ]
      : []),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
