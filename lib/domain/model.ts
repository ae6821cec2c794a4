/**
 * The shared vocabulary of fundflow: the shapes the rules, the use cases, the storage and the HTTP
 * edge agree on. Pure types, no I/O. Money is always integer fen (POLICY D14); instants are ISO-8601
 * strings with an offset; calendar days are `YYYY-MM-DD` in Asia/Shanghai (POLICY D15).
 */

/** Integer number of fen (1 yuan = 100 fen). */
export type Fen = number;
/** A calendar day in Asia/Shanghai, `YYYY-MM-DD`. */
export type LocalDate = string;
/** An instant, ISO-8601 with offset. */
export type Instant = string;

export const ROLES = [
  'MERCHANDISER',
  'HEAD_OF_MERCHANDISING',
  'CEO',
  'FINANCE_REVIEWER',
  'CASHIER',
  'CUSTOMER_SERVICE',
  'FINANCE_INVOICING',
  'TECH',
  'ADMIN',
] as const;
export type Role = (typeof ROLES)[number];

export interface Person {
  email: string;
  name: string;
  entityId: string;
  roles: Role[];
  /** Who covers the head-of-merchandising step when this person is the applicant (POLICY D18). */
  deputy?: string;
  manager?: string;
  /**
   * False once an administrator deactivated them (lib/admin/people.ts): they can no longer sign in or
   * act, and hold no step. Absent on people written before it existed: active.
   */
  active?: boolean;
  /** Bumped by every administrator's change (a conditional write); absent on people never changed. */
  version?: number;
}

export interface LegalEntity {
  id: string;
  name: string;
  /** Its unified social credit code (统一社会信用代码, checked: lib/domain/uscc.ts). */
  taxId: string;
  /** The entity's own bank accounts that pay its suppliers (POLICY 1.2, D17). */
  bankAccounts?: EntityBankAccount[];
  /** What its customer invoices' lines say unless a request says otherwise (POLICY 4). */
  invoicing?: EntityInvoicing;
  /** Bumped by every administrator's change (a conditional write); absent on entities never changed. */
  version?: number;
  /** The administrator who created it through the API: they may add its first administrator. */
  createdBy?: string;
}

export interface EntityBankAccount {
  bankName: string;
  account: string;
  /** The account the payment runs pay from (one per entity). */
  primary: boolean;
}

/** An invoice line's goods, tax classification code (19 digits) and VAT rate in percent. */
export interface EntityInvoicing {
  itemName: string;
  taxCode: string;
  taxRatePercent: number;
}

export type AccountType = 'CORPORATE' | 'PERSONAL';

export interface Supplier {
  id: string;
  entityId: string;
  name: string;
  bankAccount: string;
  bankName: string;
  accountType: AccountType;
  taxId?: string;
  /** Supplier is a general VAT taxpayer (can issue special invoices, POLICY 2.1(3)). */
  generalTaxpayer?: boolean;
  createdAt: Instant;
  updatedAt: Instant;
  version: number;
}

export type DisputeStatus = 'NONE' | 'OPEN' | 'CLOSED';

export interface PlatformOrder {
  orderId: string;
  supplierId: string;
  amountFen: Fen;
  supplierPayableFen: Fen;
  receiptConfirmedAt: Instant | null;
  fundsCreditedAt: Instant | null;
  disputeStatus: DisputeStatus;
  /** What vouchers already claim against this order's supplierPayable. */
  claimedFen: Fen;
  /**
   * The legal entity whose supplier the order is (D17): the importer's. Orders stored before entities
   * were recorded on them have none, and are in no daily export.
   */
  entityId?: string;
  /** The recorded-at time: when fundflow first learned of the order. Re-imports keep it. */
  importedAt: Instant;
  /**
   * When the order became both complete (funds credited, POLICY 2.1(1)) and recorded in fundflow: the
   * later of the two, set the first time an import sees it complete and never moved after (POLICY 3.1,
   * D10: it places the order in exactly one daily export).
   */
  completeRecordedAt?: Instant;
  updatedAt: Instant;
  version: number;
}

export interface Payee {
  name: string;
  account: string;
  bank: string;
}

export type VoucherFlagCode =
  | 'POSSIBLE_SPLIT'
  | 'BANK_DETAILS_MISMATCH'
  | 'PERSONAL_ACCOUNT'
  /** POLICY 2.1(3), D9: the supplier's invoice is for another amount than was paid (the applicant confirmed it). */
  | 'INVOICE_AMOUNT_DIFFERS'
  /** POLICY D8: the payee is the new bank account of a supplier change still waiting for review. */
  | 'PAYS_PENDING_SUPPLIER_CHANGE';
export interface VoucherFlag {
  code: VoucherFlagCode;
  message: string;
}

export type ApprovalStep = 'HEAD_OF_MERCHANDISING' | 'CEO' | 'FINANCE_REVIEW' | 'PAYMENT';

export interface RouteStep {
  step: ApprovalStep;
  role: Role;
  /** Email of the person who holds the step. */
  assignee: string;
  /** Set when the step went to a deputy because the usual holder is the applicant (POLICY D18). */
  deputyFor?: string;
}

export interface ApprovalRoute {
  requiresCeo: boolean;
  /** Why the CEO is (or is not) on the route. */
  ceoReason: 'AMOUNT_AT_OR_ABOVE_THRESHOLD' | 'SPLIT_AGGREGATE_AT_OR_ABOVE_THRESHOLD' | null;
  /** Amount the threshold was judged on: the larger of the voucher and its split group (POLICY D2). */
  judgedAmountFen: Fen;
  thresholdFen: Fen;
  steps: RouteStep[];
}

export const VOUCHER_STATUSES = [
  'SUBMITTED',
  'IN_APPROVAL',
  'REJECTED',
  'READY_FOR_PAYMENT',
  'PAID',
  'PAYMENT_FAILED',
  'CLOSED',
] as const;
export type VoucherStatus = (typeof VOUCHER_STATUSES)[number];

export interface OrderAllocation {
  orderId: string;
  amountFen: Fen;
}

/** A decision on one step of one voucher version (POLICY 2.2, D19). */
export interface Approval {
  step: ApprovalStep;
  version: number;
  decision: 'APPROVE' | 'REJECT';
  decidedBy: string;
  /** Set when a delegate decided for the assignee (D18). */
  onBehalfOf?: string;
  /**
   * `link`: from the emailed approval link; `email-proxy`: recorded by a proxy from the approver's
   * consent email, awaiting countersign (D6); `signed-in`: in fundflow itself (finance returning a
   * failed payment from the run page or the API).
   */
  via: 'link' | 'email-proxy' | 'signed-in';
  decidedAt: Instant;
  reason?: string;
  proxy?: string;
  /** The uploaded consent email (.eml) of a proxy approval. */
  consentEmail?: string;
  countersign?: 'PENDING' | 'COUNTERSIGNED' | 'REFUSED';
  countersignedAt?: Instant;
  /**
   * Set when the approval no longer counts (POLICY D6): the approver refused the proxy's approval in
   * their name before payment, so that step — and every later step decided on its basis — is decided
   * again. Kept in the voucher's record, never deleted.
   */
  withdrawn?: ApprovalWithdrawal;
}

export interface ApprovalWithdrawal {
  at: Instant;
  /** The approver who refused the proxy approval. */
  by: string;
  /** The step whose proxy approval was refused (the one this withdrawal goes back to). */
  step: ApprovalStep;
  reason: string;
}

export interface Voucher {
  id: string;
  /**
   * The short number people say and write (`FK-20261202-0007`, lib/domain/voucher-number.ts): unique
   * per entity and Asia/Shanghai day, given at the first submission, kept by every later version.
   * Absent only on vouchers submitted before numbers were given.
   */
  number?: string;
  /** The content version (POLICY D19): an edit after rejection makes a new one; approvals belong to one. */
  version: number;
  /** Optimistic-concurrency counter: every write of the voucher item bumps it. */
  revision: number;
  entityId: string;
  status: VoucherStatus;
  applicant: string;
  supplierId: string;
  supplierName: string;
  payee: Payee;
  amountFen: Fen;
  orderIds: string[];
  allocations: OrderAllocation[];
  goods: string;
  evidence: string[];
  route: ApprovalRoute;
  flags: VoucherFlag[];
  /** The Asia/Shanghai day it was submitted: the split-aggregation day (POLICY D2). */
  submittedOn: LocalDate;
  submittedAt: Instant;
  updatedAt: Instant;
  policyVersion: number;
  /** Decisions of every version, oldest first. */
  approvals?: Approval[];
  /**
   * How many times a refused proxy approval sent this version back to an earlier step (POLICY D6);
   * absent before the first. A step asked for again in a later round is emailed again.
   */
  approvalRound?: number;
  /** Set when finance review makes the voucher payable (POLICY 2.2(3), D3): the day of its payment run. */
  payment?: Payment;
  /** The supplier's invoice, recorded after payment (POLICY 2.1(3), D9); the voucher is then CLOSED. */
  supplierInvoice?: SupplierInvoice;
  /** Finance accepted an ordinary invoice from a general taxpayer (POLICY 2.1(3)), with the reason. */
  invoiceWaiver?: { by: string; at: Instant; reason: string };
  /** Set once a rejected version's claims on its orders are released. */
  claimsReleased?: boolean;
}

export type PaymentStatus = 'DUE' | 'PAID' | 'PAYMENT_FAILED';

/** The workflow's waits on a voucher after finance review (approval steps wait on their own record). */
export type WaitKind = 'PAYMENT_DAY' | 'PAYMENT' | 'PAYMENT_RETRY' | 'SUPPLIER_INVOICE';

/** A voucher's place in the payment runs (POLICY 2.2(3), D3–D5). */
export interface Payment {
  /** When finance review made it payable: the instant the noon cutoff is applied to (D3). */
  payableAt: Instant;
  /** The day of the run it belongs to (D3, D4), or today's when pulled forward (D5). */
  dueDate: LocalDate;
  status: PaymentStatus;
  /** D5: pulled into an earlier run than the cutoff gave, by whom and why. */
  override?: { by: string; at: Instant; reason: string; originalDueDate: LocalDate };
  bankReference?: string;
  /** The day the bank paid (Asia/Shanghai), as the cashier recorded it. */
  paidOn?: LocalDate;
  paidBy?: string;
  recordedAt?: Instant;
  /** The day the cashier recorded the failure (Asia/Shanghai). */
  failedOn?: LocalDate;
  /** Why the payment failed (status PAYMENT_FAILED); finance decides what next. */
  failureReason?: string;
  /** Earlier attempts that failed, oldest first. */
  failures?: { at: Instant; by: string; reason: string }[];
  /**
   * Bank batch files it was put in, oldest first: a second file could pay it twice. `run`: the day of
   * the run the file was exported from (where its record is; absent on entries written before).
   */
  exports?: { batch: string; at: Instant; by: string; file: string; run?: LocalDate }[];
}

export type SupplierInvoiceType = 'VAT_SPECIAL' | 'VAT_ORDINARY';

export interface SupplierInvoice {
  type: SupplierInvoiceType;
  number: string;
  /** The invoice code of the older (pre-digital) formats. */
  code?: string;
  issuedOn: LocalDate;
  amountFen: Fen;
  taxAmountFen: Fen;
  /** An uploaded copy of the invoice. */
  file?: string;
  recordedBy: string;
  recordedAt: Instant;
}

export interface AuditEvent {
  at: Instant;
  actor: string;
  type: string;
  /** The version the event belongs to (a voucher's content version, D19; otherwise the item's version). */
  version: number;
  details?: Record<string, unknown>;
}
