/**
 * Badges: a voucher's status and its place in a payment run, each status its own colour (the classes
 * in lib/ui/styles.ts, one per status), and the flags finance is asked to look at — all in plain words.
 */
import type { ComponentChildren } from 'preact';
import type { PaymentStatus, VoucherFlagCode, VoucherStatus } from '../domain/model.ts';
import { FLAG_LABELS, labelText, PAYMENT_STATUS_LABELS, VOUCHER_STATUS_LABELS } from './labels.ts';

/** `IN_APPROVAL` → `status-in-approval`: the class that gives a status its colour. */
export const statusClass = (status: string): string => `status-${status.toLowerCase().replaceAll('_', '-')}`;

export function StatusBadge({ status }: { status: VoucherStatus }) {
  return (
    <span class={`badge status ${statusClass(status)}`} data-status={status}>
      {labelText(VOUCHER_STATUS_LABELS[status])}
    </span>
  );
}

/** A voucher's place in its run: to pay, paid, failed. */
export function PaymentStatusBadge({ status }: { status: PaymentStatus }) {
  return (
    <span class={`badge status ${statusClass(status)}`} data-status={status}>
      {labelText(PAYMENT_STATUS_LABELS[status])}
    </span>
  );
}

export function FlagBadge({ code }: { code: VoucherFlagCode }) {
  return (
    <span class="badge flag" data-flag={code}>
      {labelText(FLAG_LABELS[code])}
    </span>
  );
}

/** A badge of the page's own words (a note beside a status: overdue, in a bank file, pending). */
export function Badge(props: { kind?: 'flag' | 'pending' | 'plain'; children: ComponentChildren }) {
  const kind = props.kind ?? 'plain';
  const cls = kind === 'flag' ? 'badge flag' : kind === 'pending' ? 'badge status-pending' : 'badge';
  return <span class={cls}>{props.children}</span>;
}
