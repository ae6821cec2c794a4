/**
 * The weekly reconciliation's vocabulary (POLICY 3.2, D11): the rows each input yields, the
 * differences the engine finds and where each side came from. Money is integer fen (D14).
 */
import type { AccountType, DisputeStatus, Fen } from '../domain/model.ts';
import type { Provenance } from './errors.ts';

export const DIFFERENCE_CATEGORIES = [
  /** Complete in fundflow that week, not in the summary. */
  'MISSING_IN_SUMMARY',
  /** In the summary, no such order in fundflow. */
  'NOT_IN_PLATFORM',
  /** Summary vs fundflow: amount or supplier payable, exact to the fen. */
  'AMOUNT_MISMATCH',
  /** The same order (or party) twice in one input; both lines named. */
  'DUPLICATE_LINE',
  /** The order completed in another week (or is not complete). */
  'OUTSIDE_PERIOD',
  /** Complete in fundflow, no Alipay credit. */
  'MISSING_IN_STATEMENT',
  /** An Alipay credit with no order. */
  'NOT_IN_ORDERS',
  /** Alipay credited another amount than the order's. */
  'STATEMENT_AMOUNT_MISMATCH',
  /** A refund row for an order fundflow does not show as refunded or disputed. */
  'UNRECORDED_REFUND',
  /** A supplier or customer not in fundflow's master data. */
  'UNKNOWN_PARTY',
  /** Name, bank account, bank, account type or tax id differs from fundflow's master (opens a review, D8). */
  'MASTER_DATA_CHANGE',
] as const;
export type DifferenceCategory = (typeof DIFFERENCE_CATEGORIES)[number];

export type InputKind = 'SALES_SUMMARY' | 'MASTER_DATA' | 'ALIPAY_STATEMENT' | 'PLATFORM';

/** One side of a difference: what one input says, and where. */
export interface DifferenceSide {
  source: InputKind;
  /** Fen for amounts, text otherwise; null when this side has nothing (a missing line). */
  value: Fen | string | null;
  at: Provenance | null;
}

export interface Difference {
  /** Stable across reruns on the same inputs: category, subject and field (and line, for duplicates). */
  id: string;
  category: DifferenceCategory;
  orderId?: string;
  supplierId?: string;
  /** Which value differs (`amount`, `supplierPayable`, `bankAccount`, …), when one does. */
  field?: string;
  sides: DifferenceSide[];
  note: string;
}

/** A line of merchandising's 销售情况汇总表. */
export interface SummaryLine {
  orderId: string;
  supplierId: string;
  supplierName: string;
  amountFen: Fen;
  supplierPayableFen: Fen;
  completedAt: string;
  at: Provenance;
}

/** A line of the 供应商客户信息维护表. */
export interface MasterDataLine {
  kind: 'SUPPLIER' | 'CUSTOMER';
  id: string;
  name: string;
  bankAccount: string;
  bankName: string;
  accountType: AccountType | '';
  taxId: string;
  at: Provenance;
}

/** fundflow's own order, as the platform side streams it. */
export interface PlatformOrderLine {
  orderId: string;
  supplierId: string;
  amountFen: Fen;
  supplierPayableFen: Fen;
  /** Epoch ms of fundsCreditedAt (POLICY 2.1(1): complete), or null when not complete. */
  completedAtMs: number | null;
  disputeStatus: DisputeStatus;
  at: Provenance;
}

export type StatementFileKind = 'ACCOUNT_LOG' | 'TRADE_DETAIL';
export type StatementRowType = 'CREDIT' | 'REFUND' | 'FEE' | 'OTHER';

/** One row of an Alipay statement that is about an order (fees are only totalled). */
export interface StatementRow {
  fileKind: StatementFileKind;
  /** 账务流水号 (account log) or 支付宝交易号 + 业务类型 + 完成时间 (trade detail): what counts once. */
  uniqueKey: string;
  orderId: string;
  type: StatementRowType;
  /** Credits positive, refunds negative, fen. */
  amountFen: Fen;
  atMs: number;
  /** The row's own content, to tell a repeated row (counted once) from a conflicting one (refused). */
  fingerprint: string;
  at: Provenance;
}
