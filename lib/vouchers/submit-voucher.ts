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
 *  5. Write everything in one transaction, conditional on what was read; on a lost race, start again.
 */
import { createHash } from 'node:crypto';
import { requireRole } from '../access.ts';
import type { AppDeps } from '../app.ts';
import { approvalRouteFor } from '../domain/approval-route.ts';
import { ConflictError, NotFoundError, RuleViolationError, ValidationError } from '../domain/errors.ts';
import type { AuditEvent, Fen, Payee, Person, Voucher, VoucherFlag } from '../domain/model.ts';
import { formatFen, parseYuan } from '../domain/money.ts';
import { allocateAmount, assertOrdersPayable } from '../domain/orders.ts';
import type { PolicySettings } from '../domain/policy.ts';
import { type SplitCandidate, splitGroupFor } from '../domain/split.ts';
import { payeeFlags } from '../domain/supplier-checks.ts';
import { shanghaiDate, toShanghaiIso } from '../domain/time.ts';
import { newId } from '../ids.ts';
import { retryingLostRaces } from '../storage/transact.ts';
import {
  MAX_TRANSACTION_ITEMS,
  type SubmissionPlan,
  type SupplierDay,
  submissionItemCount,
} from '../storage/voucher-repository.ts';
import { checkEvidenceFile, storeUploadedFile } from '../uploads/create-upload.ts';

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

export interface EvidenceFile {
  fileName: string;
  contentType: string;
  body: Uint8Array;
}

export interface SubmitVoucherResult {
  voucher: Voucher;
  /** True when this request repeated an earlier one and nothing new was written. */
  replayed: boolean;
}

/** Idempotency records outlive any sensible retry window. */
const IDEMPOTENCY_TTL_SECONDS = 7 * 24 * 3600;
const MAX_ATTEMPTS = 4;

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
  input: SubmitVoucherInput,
): Promise<SubmitVoucherResult> {
  return submitWithRetries(deps, applicant, input, voucherId);
}

async function submitWithRetries(
  deps: AppDeps,
  applicant: Person,
  input: SubmitVoucherInput,
  resubmitting: string | null,
): Promise<SubmitVoucherResult> {
  requireRole(applicant, 'MERCHANDISER');
  const requestHash = hashRequest({ ...input, resubmitting });
  // The files are stored once, whatever a lost race tries again.
  let stored: Promise<string[]> | undefined;
  const storeFiles = () =>
    (stored ??= (async () => {
      const keys: string[] = [];
      for (const file of input.files ?? []) keys.push(await storeUploadedFile(deps, applicant, file));
      return keys;
    })());
  return retryingLostRaces(async () => {
    const result = await attemptSubmission(deps, applicant, input, requestHash, resubmitting, storeFiles);
    // Starting is idempotent (one execution per voucher version), so a replay also repairs a
    // start that failed after the write.
    await deps.workflow.startApproval({ voucherId: result.voucher.id, version: result.voucher.version });
    return result;
  }, MAX_ATTEMPTS);
}

async function rejectedVoucher(deps: AppDeps, applicant: Person, voucherId: string): Promise<Voucher> {
  const voucher = await deps.store.vouchers.get(voucherId);
  if (!voucher || voucher.applicant !== applicant.email)
    throw new NotFoundError(`No voucher ${voucherId} of yours.`);
  if (voucher.status !== 'REJECTED') {
    throw new ConflictError(
      'NOT_REJECTED',
      `Only a rejected voucher can be edited; this one is ${voucher.status}.`,
    );
  }
  if (!voucher.claimsReleased) {
    throw new ConflictError(
      'CONCURRENT_UPDATE',
      'The rejection is still being recorded; try again in a moment.',
    );
  }
  return voucher;
}

async function attemptSubmission(
  deps: AppDeps,
  applicant: Person,
  input: SubmitVoucherInput,
  requestHash: string,
  resubmitting: string | null,
  storeFiles: () => Promise<string[]>,
): Promise<SubmitVoucherResult> {
  const { store } = deps;
  // 1. Idempotent replay.
  const replay = await store.vouchers.idempotencyRecord(applicant.email, input.idempotencyKey);
  if (replay) {
    if (replay.requestHash !== requestHash) {
      throw new ConflictError(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was already used for a different voucher; use a new key for a new voucher.',
      );
    }
    const voucher = await store.vouchers.get(replay.voucherId);
    if (!voucher) throw new Error(`idempotency record points at missing voucher ${replay.voucherId}`);
    return { voucher, replayed: true };
  }
  const previous = resubmitting ? await rejectedVoucher(deps, applicant, resubmitting) : null;

  // 2. Read.
  const now = deps.clock.now();
  const policy = await store.settings.currentPolicy(applicant.entityId);
  const amountFen = parseAmount(input.amount, policy);
  if (input.orderIds.length > policy.maxOrdersPerVoucher) {
    throw new ValidationError(`A voucher may cite at most ${policy.maxOrdersPerVoucher} orders.`, {
      issues: [{ path: 'orderIds', message: `at most ${policy.maxOrdersPerVoucher} orders` }],
    });
  }
  const supplier = await store.suppliers.get(input.supplierId);
  if (!supplier || supplier.entityId !== applicant.entityId) {
    throw new RuleViolationError(
      'SUPPLIER_NOT_FOUND',
      `Supplier ${input.supplierId} is not in the master data.`,
      {
        issues: [{ path: 'supplierId', message: 'unknown supplier' }],
      },
    );
  }
  const orders = await store.orders.getMany(input.orderIds);
  await checkEvidence(deps, applicant, input.evidence, input.files ?? [], policy);

  // 3. Rules. POLICY 2.1(1), D7: only settled orders without an open dispute.
  assertOrdersPayable({ supplierId: supplier.id, orderIds: input.orderIds, orders });
  const orderList = input.orderIds.map((id) => orders.get(id)).filter((order) => order !== undefined);
  // The amount may not exceed what the orders still owe the supplier.
  const allocations = allocateAmount(amountFen, orderList);

  const submittedOn = shanghaiDate(now);
  const submittedAt = toShanghaiIso(now);
  const voucherId = previous?.id ?? newId(now.getTime());
  const version = (previous?.version ?? 0) + 1;
  const supplierDay = await store.vouchers.supplierDay(supplier.id, submittedOn);
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
  const flags: VoucherFlag[] = [...payeeFlags(input.payee, supplier)];
  if (group.possibleSplit) flags.push(possibleSplitFlag(group.aggregateFen, group.memberIds));

  const voucher: Voucher = {
    id: voucherId,
    version,
    revision: (previous?.revision ?? 0) + 1,
    entityId: applicant.entityId,
    status: 'SUBMITTED',
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
  if (submissionItemCount(allocations.length, escalations.length) > MAX_TRANSACTION_ITEMS) {
    throw new RuleViolationError(
      'SPLIT_GROUP_TOO_LARGE',
      'This voucher joins a group of vouchers too large to re-route in one step; ask finance to review the group.',
    );
  }

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
          ...(supplierDay?.vouchers ?? {}),
          [voucherId]: { amountFen, orderIds: input.orderIds, status: 'SUBMITTED' },
        },
      },
    },
    escalations,
  };
  // 4. The files sent along, stored now that nothing refused the voucher.
  const files = await storeFiles();
  const submitted = files.length > 0 ? { ...voucher, evidence: [...input.evidence, ...files] } : voucher;
  // 5. Write.
  await store.vouchers.submit({ ...plan, voucher: submitted });
  return { voucher: submitted, replayed: false };
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
 * POLICY 2.1(2): the order screenshot (or other evidence) must be there, uploaded by the applicant, or
 * sent with the submission in a type and size the policy accepts.
 */
async function checkEvidence(
  deps: AppDeps,
  applicant: Person,
  evidence: readonly string[],
  files: readonly EvidenceFile[],
  policy: PolicySettings,
): Promise<void> {
  for (const file of files) checkEvidenceFile(policy, { ...file, size: file.body.byteLength });
  if (evidence.length + files.length === 0) {
    throw new RuleViolationError(
      'EVIDENCE_REQUIRED',
      'Attach the order screenshot (at least one evidence file).',
      {
        issues: [{ path: 'evidence', message: 'at least one file' }],
      },
    );
  }
  const issues: { path: string; message: string }[] = [];
  for (const [index, key] of evidence.entries()) {
    const upload = await deps.store.uploads.get(key);
    if (!upload || upload.owner !== applicant.email) {
      issues.push({ path: `evidence.${index}`, message: `${key} is not an upload of yours` });
      continue;
    }
    const stored = await deps.evidence.head(key);
    if (!stored) {
      issues.push({
        path: `evidence.${index}`,
        message: `${upload.fileName} was never uploaded (PUT it first)`,
      });
    } else if (
      stored.size > policy.maxEvidenceBytes ||
      !policy.evidenceContentTypes.includes(stored.contentType)
    ) {
      issues.push({
        path: `evidence.${index}`,
        message: `${upload.fileName} is not an accepted image or PDF`,
      });
    }
  }
  const first = issues[0];
  if (first) {
    throw new RuleViolationError('EVIDENCE_INVALID', `Evidence problem: ${first.message}.`, { issues });
  }
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
      orderIds: entry.orderIds,
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

function possibleSplitFlag(aggregateFen: Fen, memberIds: readonly string[]): VoucherFlag {
  return {
    code: 'POSSIBLE_SPLIT',
    message: `Together with ${memberIds.join(', ')} this reaches ${formatFen(aggregateFen)} yuan; the CEO approves the whole group (POLICY D2).`,
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
    if (!member || !['SUBMITTED', 'IN_APPROVAL'].includes(member.status) || !undecided) continue;
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
      voucher: { ...member, route, flags, revision: member.revision + 1, updatedAt: at },
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
function hashRequest(input: SubmitVoucherInput & { resubmitting: string | null }): string {
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
    input.payee.account,
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
