/**
 * Split aggregation (POLICY D2): "single transaction" is judged per voucher and per group. Vouchers
 * that share a platform order, or go to the same supplier on the same Asia/Shanghai day, are summed;
 * when the sum reaches the threshold every voucher of the group needs the CEO and is flagged.
 *
 * The group is the new voucher and its direct neighbours (not the transitive closure): each new
 * voucher is judged against everything it touches, and the earlier members are re-routed with it.
 */
import type { Fen, LocalDate } from './model.ts';

export interface SplitCandidate {
  voucherId: string;
  amountFen: Fen;
  orderIds: readonly string[];
  supplierId: string;
  submittedOn: LocalDate;
}

export function inSameGroup(a: SplitCandidate, b: SplitCandidate): boolean {
  const sameSupplierSameDay = a.supplierId === b.supplierId && a.submittedOn === b.submittedOn;
  return sameSupplierSameDay || a.orderIds.some((orderId) => b.orderIds.includes(orderId));
}

export function splitGroupFor(
  candidate: SplitCandidate,
  existing: readonly SplitCandidate[],
  thresholdFen: Fen,
): { memberIds: string[]; aggregateFen: Fen; possibleSplit: boolean } {
  const members = existing.filter(
    (other) => other.voucherId !== candidate.voucherId && inSameGroup(candidate, other),
  );
  const aggregateFen = members.reduce((sum, member) => sum + member.amountFen, candidate.amountFen);
  return {
    memberIds: members.map((member) => member.voucherId),
    aggregateFen,
    possibleSplit: members.length > 0 && aggregateFen >= thresholdFen,
  };
}
