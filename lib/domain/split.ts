/**
 * Split aggregation (POLICY D2): "single transaction" (单笔) is judged per voucher and per group.
 * Vouchers that share a platform order, or go to the same supplier on the same Asia/Shanghai day, are
 * summed; when the sum reaches the threshold every voucher of the group needs the CEO and is flagged.
 *
 * The group is the new voucher and its direct neighbours, not the transitive closure: each new voucher
 * is judged against every voucher it touches, and those are re-routed with it. A chain A–B–C where A
 * and C touch only through B is therefore summed as {A, B} and {B, C} when B or C arrives; the closure
 * would pull in vouchers the new one has nothing in common with, and could grow without bound.
 * Which earlier vouchers count (e.g. not rejected ones) is the caller's choice of `existing`.
 */
import type { Fen, LocalDate } from './model.ts';

export interface SplitCandidate {
  voucherId: string;
  amountFen: Fen;
  orderIds: readonly string[];
  supplierId: string;
  /** The Asia/Shanghai day of submission (POLICY D2, D15). */
  submittedOn: LocalDate;
}

/** POLICY D2: same platform order, or same supplier on the same day. */
export function inSameGroup(a: SplitCandidate, b: SplitCandidate): boolean {
  const sameSupplierSameDay = a.supplierId === b.supplierId && a.submittedOn === b.submittedOn;
  return sameSupplierSameDay || a.orderIds.some((orderId) => b.orderIds.includes(orderId));
}

export function splitGroupFor(
  candidate: SplitCandidate,
  existing: readonly SplitCandidate[],
  thresholdFen: Fen,
): { memberIds: string[]; aggregateFen: Fen; possibleSplit: boolean } {
  const seen = new Set<string>([candidate.voucherId]);
  const members: SplitCandidate[] = [];
  for (const other of existing) {
    // A voucher is counted once: not against itself (a resubmitted version), not twice if listed twice.
    if (seen.has(other.voucherId) || !inSameGroup(candidate, other)) continue;
    seen.add(other.voucherId);
    members.push(other);
  }
  const aggregateFen = members.reduce((sum, member) => sum + member.amountFen, candidate.amountFen);
  return {
    memberIds: members.map((member) => member.voucherId),
    aggregateFen,
    // POLICY D2, D1: a group reaching the threshold (≥) is a possible split; a lone voucher is not.
    possibleSplit: members.length > 0 && aggregateFen >= thresholdFen,
  };
}
