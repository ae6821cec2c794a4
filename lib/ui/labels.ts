/**
 * The one bilingual label table: every code fundflow keeps (steps, statuses, roles, flags, audit
 * event types, error codes, …) as the plain words a person reads, in Chinese and English. Pages and
 * emails show `zh en` (`labelText`), never the code itself; the code stays in the JSON API and in the
 * stored record. A code without a label (a new one) falls back to a generic label of its kind — still
 * plain words — and test/unit/labels.test.ts fails until it has its own.
 */
import type { InvoiceRequestStatus } from '../domain/invoice-request.ts';
import type { ApprovalStep, PaymentStatus, Role, VoucherFlagCode, VoucherStatus } from '../domain/model.ts';

export interface Label {
  zh: string;
  en: string;
}

/** A label as pages and emails show it: Chinese, then English. */
export const labelText = (label: Label): string => `${label.zh} ${label.en}`;

export const STEP_LABELS: Record<ApprovalStep, Label> = {
  HEAD_OF_MERCHANDISING: { zh: '商品部负责人审批', en: 'Head of merchandising approval' },
  CEO: { zh: 'CEO 审批', en: 'CEO approval' },
  FINANCE_REVIEW: { zh: '财务部复核', en: 'Finance review' },
  PAYMENT: { zh: '出纳付款', en: 'Payment by the cashier' },
};

export const VOUCHER_STATUS_LABELS: Record<VoucherStatus, Label> = {
  SUBMITTED: { zh: '已提交', en: 'Submitted' },
  IN_APPROVAL: { zh: '审批中', en: 'In approval' },
  REJECTED: { zh: '已退回', en: 'Rejected' },
  READY_FOR_PAYMENT: { zh: '待付款', en: 'Ready for payment' },
  PAID: { zh: '已付款', en: 'Paid' },
  PAYMENT_FAILED: { zh: '付款失败', en: 'Payment failed' },
  CLOSED: { zh: '已关闭', en: 'Closed' },
};

/** A voucher's place in its payment run (the run page's status column). */
export const PAYMENT_STATUS_LABELS: Record<PaymentStatus, Label> = {
  DUE: { zh: '待付', en: 'To pay' },
  PAID: { zh: '已付', en: 'Paid' },
  PAYMENT_FAILED: { zh: '失败', en: 'Failed' },
};

export const ROLE_LABELS: Record<Role, Label> = {
  MERCHANDISER: { zh: '商品部专人', en: 'Merchandiser' },
  HEAD_OF_MERCHANDISING: { zh: '商品部负责人', en: 'Head of merchandising' },
  CEO: { zh: '首席执行官', en: 'CEO' },
  FINANCE_REVIEWER: { zh: '财务部复核', en: 'Finance reviewer' },
  CASHIER: { zh: '出纳', en: 'Cashier' },
  CUSTOMER_SERVICE: { zh: '客服', en: 'Customer service' },
  FINANCE_INVOICING: { zh: '财务开票', en: 'Finance invoicing' },
  TECH: { zh: '技术部', en: 'Tech' },
  ADMIN: { zh: '管理员', en: 'Administrator' },
};

/** What finance is asked to look at before paying (the flag's message says the details). */
export const FLAG_LABELS: Record<VoucherFlagCode, Label> = {
  POSSIBLE_SPLIT: { zh: '疑似拆分付款', en: 'Possibly split to stay under the CEO limit' },
  BANK_DETAILS_MISMATCH: { zh: '收款信息与供应商档案不符', en: 'Payee differs from the supplier records' },
  PERSONAL_ACCOUNT: { zh: '付款到个人账户', en: 'Paid into a personal account' },
  INVOICE_AMOUNT_DIFFERS: { zh: '发票金额与付款金额不同', en: 'Invoice amount differs from the payment' },
  PAYS_PENDING_SUPPLIER_CHANGE: { zh: '付往待审核的新账号', en: 'Pays a new account still under review' },
};

export const DECISION_LABELS: Record<'APPROVE' | 'REJECT', Label> = {
  APPROVE: { zh: '已批准', en: 'Approved' },
  REJECT: { zh: '已退回', en: 'Rejected' },
};

export const INVOICE_TYPE_LABELS: Record<'VAT_SPECIAL' | 'VAT_ORDINARY', Label> = {
  VAT_SPECIAL: { zh: '增值税专用发票', en: 'VAT special' },
  VAT_ORDINARY: { zh: '普通发票', en: 'VAT ordinary' },
};

/** Why the CEO is on a voucher's route (POLICY 2.2(2), D1, D2). */
export const CEO_REASON_LABELS: Record<
  'AMOUNT_AT_OR_ABOVE_THRESHOLD' | 'SPLIT_AGGREGATE_AT_OR_ABOVE_THRESHOLD',
  Label
> = {
  AMOUNT_AT_OR_ABOVE_THRESHOLD: { zh: '金额达到 CEO 审批标准', en: 'The amount needs the CEO' },
  SPLIT_AGGREGATE_AT_OR_ABOVE_THRESHOLD: {
    zh: '同日同供应商合计达到 CEO 审批标准',
    en: 'With the same supplier’s other vouchers of the day it needs the CEO',
  },
};

/** What each audit event of a voucher's history means to the people reading it. */
export const EVENT_LABELS: Record<string, Label> = {
  VOUCHER_SUBMITTED: { zh: '提交', en: 'Submitted' },
  VOUCHER_RESUBMITTED: { zh: '修改后重新提交', en: 'Resubmitted' },
  ROUTE_ESCALATED_SPLIT: { zh: '疑似拆分，升至 CEO 审批', en: 'Escalated: possible split' },
  APPROVAL_STARTED: { zh: '审批开始', en: 'Approval started' },
  APPROVAL_REQUESTED: { zh: '已发审批邮件', en: 'Approval requested' },
  APPROVAL_REMINDED: { zh: '已催办', en: 'Reminder sent' },
  APPROVAL_ESCALATED: { zh: '已上报', en: 'Escalated' },
  STEP_APPROVED: { zh: '批准', en: 'Approved' },
  STEP_REJECTED: { zh: '退回', en: 'Rejected' },
  APPROVAL_WITHDRAWN: { zh: '代录的审批被拒，退回重审', en: 'Proxy approval refused, decided again' },
  COUNTERSIGNED: { zh: '已补签', en: 'Countersigned' },
  COUNTERSIGN_REFUSED: { zh: '拒绝补签', en: 'Countersign refused' },
  CLAIMS_RELEASED: { zh: '释放订单额度', en: 'Order claims released' },
  READY_FOR_PAYMENT: { zh: '待付款', en: 'Ready for payment' },
  PULLED_INTO_TODAYS_RUN: { zh: '拉入今日付款批次', en: 'Pulled into today’s run' },
  BANK_BATCH_EXPORTED: { zh: '已导出银行批量文件', en: 'In a bank batch file' },
  PAID: { zh: '已付款', en: 'Paid' },
  PAYMENT_FAILED: { zh: '付款失败', en: 'Payment failed' },
  PAYMENT_FAILURE_NOTIFIED: { zh: '已通知财务', en: 'Finance told of the failed payment' },
  PAYMENT_RESCHEDULED: { zh: '重新安排付款', en: 'Payment rescheduled' },
  RETURNED_AFTER_FAILED_PAYMENT: { zh: '付款失败后退回', en: 'Returned after a failed payment' },
  PAYMENT_OVERDUE_REMINDED: { zh: '催付款', en: 'Unpaid at end of day: reminded' },
  SUPPLIER_INVOICE_REQUESTED: { zh: '请登记发票', en: 'Invoice requested' },
  SUPPLIER_INVOICE_REMINDED: { zh: '发票催办', en: 'Invoice reminder' },
  SUPPLIER_INVOICE_ESCALATED: { zh: '发票已上报', en: 'Invoice escalated' },
  SPECIAL_INVOICE_WAIVED: { zh: '免专票', en: 'Special invoice waived' },
  SUPPLIER_INVOICE_RECORDED: { zh: '已登记发票，关闭', en: 'Invoice recorded, closed' },
  // Events of the other records (suppliers, orders, the directory), for the pages that will show them.
  SUPPLIER_CREATED: { zh: '新建供应商', en: 'Supplier added' },
  SUPPLIER_CHANGE_OPENED: { zh: '供应商资料变更待审核', en: 'Supplier change waiting for review' },
  SUPPLIER_UPDATED: { zh: '修改供应商', en: 'Supplier changed' },
  SUPPLIER_BANK_DETAILS_CHANGED: { zh: '修改供应商银行信息', en: 'Supplier’s bank details changed' },
  ORDER_IMPORTED: { zh: '导入订单', en: 'Order imported' },
  ORDER_UPDATED: { zh: '更新订单', en: 'Order updated' },
  DAILY_EXPORT_CREATED: { zh: '生成每日导出', en: 'Daily export made' },
  DELEGATION_ADDED: { zh: '新增授权代理', en: 'Delegation added' },
  PROXY_ASSIGNED: { zh: '指定代录人', en: 'Proxy named' },
  DELEGATION_REVOKED: { zh: '撤销授权代理', en: 'Delegation revoked' },
  PROXY_ENDED: { zh: '提前结束代录', en: 'Proxy ended early' },
  SEEDED: { zh: '演示数据', en: 'Demo data' },
  // Customer invoice requests (POLICY 4, D12, D13).
  INVOICE_REQUEST_RECORDED: { zh: '登记开票申请', en: 'Invoice request recorded' },
  INVOICE_REQUEST_ADMITTED: { zh: '订单已完成，进入批次', en: 'Order complete: joined a batch' },
  INVOICE_REQUEST_SENT_TO_FINANCE: { zh: '已提交财务开票', en: 'Sent to finance' },
  INVOICE_ISSUED: { zh: '已开票', en: 'Invoice issued' },
  INVOICE_REQUEST_RETURNED: { zh: '财务退回修改', en: 'Returned by finance for correction' },
  INVOICE_REQUEST_CORRECTED: { zh: '修改后重新提交', en: 'Corrected and queued again' },
  INVOICE_DELIVERY_RECORDED: { zh: '已登记寄送', en: 'Mailing recorded' },
  INVOICE_BATCH_CLOSED: { zh: '开票批次已提交财务', en: 'Invoice batch sent to finance' },
  // The weekly sales reconciliation (POLICY 3.2, D11).
  RECONCILIATION_INPUT_REGISTERED: { zh: '登记对账文件', en: 'Reconciliation file registered' },
  RECONCILIATION_RUN_STARTED: { zh: '开始对账', en: 'Reconciliation run started' },
  RECONCILIATION_READY: { zh: '对账完成，待处理差异', en: 'Reconciled: differences to resolve' },
  RECONCILIATION_RUN_REFUSED: { zh: '对账时发现文件有误', en: 'The run found a file in error' },
  RECONCILIATION_DIFFERENCE_RESOLVED: { zh: '处理对账差异', en: 'Difference resolved' },
  RECONCILIATION_SIGNED_OFF: { zh: '财务签核对账', en: 'Signed off by finance' },
  RECONCILIATION_REOPENED: { zh: '重新打开对账', en: 'Reconciliation reopened' },
  // Administration (issue 14): people and legal entities.
  PERSON_CREATED: { zh: '新增人员', en: 'Person added' },
  PERSON_UPDATED: { zh: '修改人员', en: 'Person changed' },
  PERSON_DEACTIVATED: { zh: '停用人员', en: 'Person deactivated' },
  PERSON_REACTIVATED: { zh: '重新启用人员', en: 'Person active again' },
  ENTITY_CREATED: { zh: '新增法人单位', en: 'Legal entity added' },
  ENTITY_UPDATED: { zh: '修改法人单位', en: 'Legal entity changed' },
  // Administration: policy versions (D17).
  POLICY_VERSION_ADDED: { zh: '新增制度版本', en: 'New policy version' },
  // Administration: the working-day calendar (D16).
  CALENDAR_OVERRIDE_SET: { zh: '调整了工作日', en: 'Calendar day changed' },
  CALENDAR_OVERRIDE_REMOVED: { zh: '取消了工作日调整', en: 'Calendar change removed' },
  CALENDAR_YEAR_LOADED: { zh: '导入了全年节假日安排', en: 'Official holidays of a year loaded' },
  // Administration: the review of supplier changes (D8).
  SUPPLIER_CHANGE_APPROVED: { zh: '供应商资料变更已批准', en: 'Supplier change approved' },
  SUPPLIER_CHANGE_REJECTED: { zh: '供应商资料变更已驳回', en: 'Supplier change rejected' },
  // The red-letter reversal (issue 13 §4).
  INVOICE_RED_LETTER_FLAGGED: {
    zh: '订单退款或争议，待财务红冲',
    en: 'Order refunded or disputed: flagged for finance',
  },
  INVOICE_RED_LETTER_RECORDED: { zh: '已开具红字发票', en: 'Red invoice recorded' },
  INVOICE_RED_LETTER_DISMISSED: { zh: '财务不红冲', en: 'Red-letter flag dismissed by finance' },
};

const OTHER_EVENT: Label = { zh: '其他记录', en: 'Other event' };

/**
 * Every refusal's code in plain words: the lead line of an error on a page (its message and issues
 * follow). Codes of the JSON API (docs/api.md) stay as they are there.
 */
export const ERROR_LABELS: Record<string, Label> = {
  VALIDATION_FAILED: { zh: '填写有误', en: 'Something in the form needs fixing' },
  BAD_REQUEST: { zh: '请求无法读取', en: 'The request could not be read' },
  UNSUPPORTED_MEDIA_TYPE: { zh: '格式不对', en: 'Not a format this accepts' },
  PAYLOAD_TOO_LARGE: { zh: '文件太大', en: 'Too large' },
  NOT_CSV: { zh: '不是 CSV 文件', en: 'Not a CSV file' },
  UNKNOWN_ENTITY: { zh: '没有这个法人主体', en: 'No such legal entity' },
  UNAUTHORIZED: { zh: '请先登录', en: 'Sign in first' },
  SIGN_IN_FAILED: { zh: '登录未完成', en: 'The sign-in did not complete' },
  FORBIDDEN: { zh: '没有权限', en: 'Not allowed' },
  NOT_FOUND: { zh: '找不到', en: 'Not found' },
  INTERNAL: { zh: '系统出错', en: 'Something went wrong on our side' },
  CONCURRENT_UPDATE: { zh: '同时有人修改', en: 'Someone changed it at the same moment' },
  IDEMPOTENCY_KEY_REUSED: { zh: '重复提交的内容不同', en: 'Sent again with different content' },
  ALREADY_SUBMITTED: { zh: '已经提交过', en: 'Already submitted' },
  CHANGE_TOO_LARGE: { zh: '一次修改的内容太多', en: 'Too much to change at once' },
  LINK_INVALID: { zh: '链接无效', en: 'The link is not valid' },
  LINK_EXPIRED: { zh: '链接已过期', en: 'The link has expired' },
  SUPERSEDED: { zh: '凭单已修改', en: 'The voucher was edited since' },
  ALREADY_DECIDED: { zh: '已经审批过', en: 'Already decided' },
  NOT_WAITING: { zh: '现在无需审批', en: 'Not waiting for this decision' },
  ORDER_NOT_FOUND: { zh: '找不到订单', en: 'Order not found' },
  ORDER_SUPPLIER_MISMATCH: { zh: '订单不属于该供应商', en: 'The order is another supplier’s' },
  ORDER_NOT_SETTLED: { zh: '订单尚未结算', en: 'The order is not settled yet' },
  ORDER_DISPUTED: { zh: '订单有未结纠纷', en: 'The order has an open dispute' },
  NO_ORDERS: { zh: '没有订单', en: 'No order given' },
  AMOUNT_EXCEEDS_PAYABLE: { zh: '金额超过订单应付余额', en: 'More than the orders still owe' },
  EVIDENCE_REQUIRED: { zh: '缺少订单截图', en: 'The order screenshot is missing' },
  EVIDENCE_INVALID: { zh: '附件不是图片或 PDF', en: 'The attachment is not an image or a PDF' },
  INVOICE_FILE_INVALID: { zh: '发票文件格式不对', en: 'The invoice copy is not a format we take' },
  CONSENT_EMAIL_MISSING: { zh: '缺少同意邮件', en: 'The consent email is missing' },
  CONSENT_EMAIL_UNSIGNED: { zh: '同意邮件没有签名', en: 'The consent email is not signed' },
  CONSENT_EMAIL_NOT_AUTHENTIC: { zh: '同意邮件无法验证', en: 'The consent email could not be verified' },
  CONSENT_EMAIL_MISMATCH: { zh: '同意邮件与凭单不符', en: 'The consent email does not match the voucher' },
  CONSENT_EMAIL_ALREADY_USED: { zh: '同意邮件已用过', en: 'The consent email was used already' },
  PROXY_NOT_ALLOWED: { zh: '这一步不能代录', en: 'A proxy cannot record this step' },
  NOT_A_PROXY_STEP_HOLDER: { zh: '此人没有可代录的审批', en: 'No step of theirs can be recorded by a proxy' },
  DELEGATION_OVER: { zh: '授权已结束', en: 'The delegation is already over' },
  PROXY_ASSIGNMENT_OVER: { zh: '代理已结束', en: 'The proxy assignment is already over' },
  NOT_PENDING: { zh: '已补签或已处理', en: 'Already countersigned or settled' },
  SUPPLIER_NOT_FOUND: { zh: '供应商档案中没有', en: 'Not in the supplier records' },
  SUPPLIER_DAY_FULL: { zh: '今日该供应商凭单已满', en: 'Too many vouchers to this supplier today' },
  SPLIT_GROUP_TOO_LARGE: { zh: '同组凭单太多', en: 'Too many vouchers in this group' },
  ROUTE_UNRESOLVABLE: { zh: '找不到审批人', en: 'No one can approve this voucher' },
  TOO_MANY_VERSIONS: { zh: '修改次数已达上限', en: 'Edited too many times' },
  NOT_REJECTED: { zh: '只有退回的凭单可以修改', en: 'Only a rejected voucher can be edited' },
  NOT_PAYABLE: { zh: '现在不能付款', en: 'Not payable now' },
  ALREADY_PAID: { zh: '已经付过款', en: 'Already paid' },
  ALREADY_IN_RUN: { zh: '已在今日批次', en: 'Already in today’s run' },
  NOT_IN_A_RUN_YET: { zh: '不在今日批次', en: 'Not in today’s run' },
  NOT_DUE: { zh: '不在等待付款', en: 'Not waiting for its payment run' },
  NO_RUN_TODAY: { zh: '今天没有付款批次', en: 'No payment run today' },
  NOT_AN_AFTERNOON_VOUCHER: {
    zh: '不是今天下午审核的凭单',
    en: 'Not one that became payable this afternoon',
  },
  RUN_NOT_OPEN: { zh: '付款批次还没开始', en: 'The run has not opened yet' },
  NOTHING_TO_EXPORT: { zh: '没有可导出的付款', en: 'Nothing to put in a bank file' },
  NOT_IN_BANK_FILE: { zh: '不在这个银行文件中', en: 'Not in this bank file' },
  BANK_FILE_OUTDATED: { zh: '凭单在导出后已修改', en: 'Edited since it went into the bank file' },
  PAID_ON_IN_FUTURE: { zh: '付款日期在将来', en: 'The payment date is in the future' },
  PAID_BEFORE_PAYABLE: { zh: '付款日期早于可付款日', en: 'Paid before it was payable' },
  PAYMENT_FAILED_AWAITING_FINANCE: { zh: '付款失败，等财务处理', en: 'Payment failed: finance decides next' },
  NOT_FAILED: { zh: '付款没有失败', en: 'The payment did not fail' },
  TOO_MANY_FAILED_PAYMENTS: { zh: '付款失败次数太多', en: 'Failed too many times' },
  NOT_PAID: { zh: '还没付款', en: 'Not paid yet' },
  NOT_OPEN: { zh: '凭单已关闭或未付款', en: 'Not open for this' },
  SPECIAL_INVOICE_REQUIRED: { zh: '需要增值税专用发票', en: 'A VAT special invoice is needed' },
  INVOICE_ALREADY_RECORDED: { zh: '已登记了另一张发票', en: 'Another invoice is recorded already' },
  INVOICE_AMOUNT_DIFFERS: { zh: '发票金额与付款金额不同', en: 'The invoice amount differs from the payment' },
  NO_WORKING_DAY: { zh: '日历中找不到工作日', en: 'No working day in the calendar' },
  NOT_THE_DEMO_DOMAIN: { zh: '不是演示域名', en: 'Not the demo mail domain' },
  SUPPLIER_CHANGE_CHANGES_NOTHING: { zh: '资料没有变化', en: 'Nothing would change' },
  INPUT_HEADER_MISSING: { zh: '找不到表头', en: 'The header row is missing' },
  INPUT_LINE_INVALID: { zh: '有一行无法读取', en: 'A line cannot be read' },
  INPUT_ENCODING: { zh: '文件编码无法识别', en: 'The file’s text encoding is not readable' },
  INPUT_ARCHIVE: { zh: '压缩包无法读取', en: 'The zip file cannot be read' },
  STATEMENT_UNKNOWN_FORMAT: { zh: '不是支付宝账单', en: 'Not an Alipay statement' },
  STATEMENT_TRUNCATED: { zh: '账单不完整', en: 'The statement is cut short' },
  STATEMENT_TOTALS_DISAGREE: {
    zh: '账单合计与明细不符',
    en: 'The statement’s totals disagree with its rows',
  },
  STATEMENT_OUTSIDE_WEEK: { zh: '账单不属于这一周', en: 'The statement is for another week' },
  STATEMENT_ID_SCIENTIFIC: {
    zh: '单号被 Excel 改成了科学计数法',
    en: 'Excel turned an order number into scientific notation',
  },
  STATEMENT_ROW_CONFLICT: {
    zh: '同一流水号有两行不同的记录',
    en: 'Two different rows share one serial number',
  },
  STATEMENTS_DO_NOT_COVER_WEEK: { zh: '账单没有覆盖整周', en: 'The statements do not cover the whole week' },
  // Customer invoice requests (POLICY 4, D12, D13).
  SPECIAL_INVOICE_TO_INDIVIDUAL: { zh: '个人不能开专票', en: 'A person cannot get a VAT special invoice' },
  ORDER_ALREADY_INVOICED: { zh: '订单已在其他开票申请中', en: 'The order is on another invoice request' },
  ORDERS_CANNOT_CHANGE: { zh: '修改时不能更换订单', en: 'A correction keeps the same orders' },
  INVOICE_ALREADY_ISSUED: { zh: '已登记了另一张发票', en: 'Another invoice is recorded already' },
  INVOICE_NUMBER_TAKEN: { zh: '发票号码已被其他申请使用', en: 'That invoice number is on another request' },
  ISSUED_ON_IN_FUTURE: { zh: '开票日期在将来', en: 'The issue date is in the future' },
  ISSUED_BEFORE_BATCH: { zh: '开票日期早于批次', en: 'Issued before the batch reached finance' },
  DELIVERY_ALREADY_RECORDED: { zh: '已登记过寄送', en: 'The mailing is recorded already' },
  SENT_ON_IN_FUTURE: { zh: '寄送日期在将来', en: 'The mailing date is in the future' },
  SENT_BEFORE_ISSUED: { zh: '寄送日期早于开票日期', en: 'Sent before the invoice was issued' },
  ALREADY_RECORDED: { zh: '已经登记过', en: 'Recorded already' },
  NOT_WAITING_FOR_ORDER: { zh: '不在等待订单', en: 'Not waiting for its order' },
  NOT_QUEUED: { zh: '不在待开票批次中', en: 'Not waiting in a batch' },
  NOT_WITH_FINANCE: { zh: '不在财务开票中', en: 'Not with finance' },
  NOT_RETURNED: { zh: '只有退回的申请可以修改', en: 'Only a returned request can be corrected' },
  NOT_ISSUED: { zh: '还没开票', en: 'Not issued yet' },
  BATCH_NOT_DUE: { zh: '批次还未到截止时间', en: 'The batch does not close yet' },
  BATCH_NOT_CLOSED: { zh: '批次还未提交财务', en: 'The batch has not gone to finance yet' },
  NOT_IN_BATCH: { zh: '不在该批次中', en: 'Not in this batch' },
  // The weekly sales reconciliation (POLICY 3.2, D11).
  RECONCILIATION_RUNNING: { zh: '正在对账', en: 'The week is being reconciled' },
  RECONCILIATION_INPUT_INVALID: {
    zh: '文件不能用于对账',
    en: 'The file cannot be used for the reconciliation',
  },
  RECONCILIATION_INPUTS_MISSING: { zh: '还缺对账文件', en: 'Files are still missing' },
  RECONCILIATION_SIGNED_OFF: { zh: '这一周已签核', en: 'The week is signed off' },
  RECONCILIATION_NOT_READY: { zh: '还没有对账结果', en: 'No results yet' },
  RECONCILIATION_DIFFERENCES_OPEN: { zh: '还有差异未处理', en: 'Differences are still open' },
  RECONCILIATION_NOT_SIGNED_OFF: { zh: '这一周还没有签核', en: 'The week is not signed off' },
  DIFFERENCE_RESOLVED_ALREADY: { zh: '差异已处理', en: 'The difference is resolved already' },
  // Administration (issue 14).
  PERSON_EXISTS: { zh: '此人已在名录中', en: 'This person is in the directory already' },
  PERSON_ENTITY_FIXED: { zh: '人员不能转到另一个单位', en: 'A person stays in their entity' },
  DUTIES_NOT_SEGREGATED: { zh: '不符合职责分离', en: 'The duties are not kept apart' },
  OWN_ADMIN_ACCESS: { zh: '不能去掉自己的管理权限', en: 'You cannot remove your own admin access' },
  PERSON_HOLDS_OPEN_STEPS: { zh: '此人还有待审批的凭单', en: 'This person still holds open approvals' },
  PERSON_IS_DEPUTY: { zh: '此人仍是负责人的代理人', en: 'This person is still a head’s deputy' },
  ENTITY_EXISTS: { zh: '此单位已存在', en: 'This entity exists already' },
  USCC_INVALID: { zh: '统一社会信用代码有误', en: 'The unified social credit code is wrong' },
  // Administration: policy versions (D17).
  POLICY_VERSION_IN_THE_PAST: { zh: '生效日期已过', en: 'That day is in the past' },
  POLICY_VERSION_BEFORE_NEWEST: { zh: '早于最新版本的生效日期', en: 'Before the newest version’s day' },
  CALENDAR_CHANGE_AFFECTS_DOCUMENTS: {
    zh: '会改变已算好的日期，请确认',
    en: 'This moves dates already set: confirm',
  },
  SUPPLIER_CHANGE_ALREADY_REVIEWED: { zh: '这项变更已审核过', en: 'This change was reviewed already' },
  SUPPLIER_CHANGED_SINCE: { zh: '供应商资料在申请后已改变', en: 'The supplier changed since the request' },
  SUPPLIER_CHANGE_NEEDS_REVIEW: {
    zh: '银行信息须经审核才能修改',
    en: 'Bank details change only by a reviewed request',
  },
  // The red-letter reversal (issue 13 §4).
  NOT_FLAGGED: { zh: '没有待处理的红冲提示', en: 'No red-letter flag is open' },
  RED_LETTER_ALREADY_RECORDED: { zh: '已登记过红字发票', en: 'A red invoice is recorded already' },
  RED_INVOICE_IS_ORIGINAL: { zh: '红字发票号码与原发票相同', en: 'The red invoice number is the original’s' },
  RED_BEFORE_BLUE: { zh: '红字发票日期早于原发票', en: 'The red invoice is dated before the original' },
};

/** The reconciliation's difference categories and resolutions, as the pages name them (POLICY 3.2, D11). */
export const RECONCILIATION_CATEGORY_LABELS: Record<string, Label> = {
  MISSING_IN_SUMMARY: { zh: '汇总表缺少', en: 'Missing in the summary' },
  NOT_IN_PLATFORM: { zh: '平台无此订单', en: 'Not in fundflow' },
  AMOUNT_MISMATCH: { zh: '金额不符', en: 'Amount differs' },
  DUPLICATE_LINE: { zh: '重复行', en: 'Duplicated line' },
  OUTSIDE_PERIOD: { zh: '不在本周', en: 'Outside the week' },
  MISSING_IN_STATEMENT: { zh: '支付宝无入账', en: 'No Alipay credit' },
  NOT_IN_ORDERS: { zh: '支付宝入账无订单', en: 'Alipay credit without an order' },
  STATEMENT_AMOUNT_MISMATCH: { zh: '入账金额不符', en: 'Alipay amount differs' },
  UNRECORDED_REFUND: { zh: '未记录的退款', en: 'Unrecorded refund' },
  UNKNOWN_PARTY: { zh: '未知供应商或客户', en: 'Unknown supplier or customer' },
  MASTER_DATA_CHANGE: { zh: '主数据变更（待审核）', en: 'Master data change (for review)' },
};
export const DIFFERENCE_STATUS_LABELS: Record<'OPEN' | 'EXPLAINED' | 'CORRECTED', Label> = {
  OPEN: { zh: '待处理', en: 'Open' },
  EXPLAINED: { zh: '已说明', en: 'Explained' },
  CORRECTED: { zh: '已更正', en: 'Corrected' },
};

/** Where a reconciliation week is (POLICY 3.2, D11). */
export const RECONCILIATION_STATUS_LABELS: Record<
  'AWAITING_INPUTS' | 'RUNNING' | 'READY' | 'SIGNED_OFF',
  Label
> = {
  AWAITING_INPUTS: { zh: '等待对账文件', en: 'Waiting for its files' },
  RUNNING: { zh: '正在对账', en: 'Reconciling' },
  READY: { zh: '待处理差异与签核', en: 'Differences to resolve, then sign-off' },
  SIGNED_OFF: { zh: '已签核', en: 'Signed off' },
};

/** The files a reconciliation week takes (POLICY 3.2, D11). */
export const RECONCILIATION_INPUT_KIND_LABELS: Record<
  'SALES_SUMMARY' | 'MASTER_DATA' | 'ALIPAY_STATEMENT',
  Label
> = {
  SALES_SUMMARY: { zh: '销售情况汇总表', en: 'Sales summary' },
  MASTER_DATA: { zh: '供应商客户信息维护表', en: 'Master-data sheet' },
  ALIPAY_STATEMENT: { zh: '支付宝对账单', en: 'Alipay statement' },
};

/** The confirmation after each of the reconciliation page's forms (POLICY 3.2, D11). */
export const RECONCILIATION_OUTCOME_LABELS: Record<
  'registered' | 'run' | 'resolved' | 'signed-off' | 'reopened',
  Label
> = {
  registered: { zh: '文件已登记', en: 'The file is registered' },
  run: { zh: '对账已开始', en: 'The reconciliation has started' },
  resolved: { zh: '差异已处理', en: 'The difference is resolved' },
  'signed-off': { zh: '这一周已签核', en: 'The week is signed off' },
  reopened: { zh: '这一周已重新打开', en: 'The week is reopened' },
};

/** Where an invoice request is (POLICY 4, D12, D13). */
export const INVOICE_REQUEST_STATUS_LABELS: Record<InvoiceRequestStatus, Label> = {
  WAITING_FOR_ORDER: { zh: '等待订单完成', en: 'Waiting for its order' },
  QUEUED: { zh: '待提交财务', en: 'In the next batch' },
  WITH_FINANCE: { zh: '财务开票中', en: 'With finance' },
  RETURNED: { zh: '退回修改', en: 'Returned for correction' },
  ISSUED: { zh: '已开票，待寄送', en: 'Issued, to be mailed' },
  DELIVERED: { zh: '已寄送', en: 'Mailed' },
  REVERSED: { zh: '已红冲', en: 'Reversed by a red invoice' },
};

/** Issue 13 §4: the red-letter flag on an issued invoice request. */
export const RED_LETTER_STATUS_LABELS: Record<'FLAGGED' | 'RECORDED' | 'DISMISSED', Label> = {
  FLAGGED: { zh: '待财务红冲', en: 'Flagged for a red invoice' },
  RECORDED: { zh: '已开具红字发票', en: 'Red invoice recorded' },
  DISMISSED: { zh: '财务决定不红冲', en: 'Flag dismissed' },
};

/** What the order import saw happen to an invoiced order (issue 13 §4). */
export const RED_LETTER_TRIGGER_LABELS: Record<'REFUNDED' | 'DISPUTED', Label> = {
  REFUNDED: { zh: '订单退款', en: 'Order refunded' },
  DISPUTED: { zh: '订单有争议', en: 'Order disputed' },
};

/** 数电票 红字确认单 冲红原因 (issue 13 §4). */
export const RED_LETTER_REASON_LABELS: Record<'01' | '02' | '03' | '04', Label> = {
  '01': { zh: '开票有误', en: 'Invoice issued in error' },
  '02': { zh: '销货退回', en: 'Goods returned' },
  '03': { zh: '服务中止', en: 'Service stopped' },
  '04': { zh: '销售折让', en: 'Sales allowance' },
};

/**
 * Why a row of the tax bureau's result file was not recorded, as the batch page lists it after an
 * upload (lib/invoicing/pages.ts): a refusal of the row's number or date reads as such; any other code
 * reads as its ERROR_LABELS entry.
 */
export const BATCH_RESULT_ROW_LABELS: Record<string, Label> = {
  VALIDATION_FAILED: { zh: '发票号码或开票日期有误', en: 'The invoice number or date is not right' },
};

/** An invoice batch's status (D12, D13; lib/invoicing/batches.ts `batchStatusOf`). */
export const INVOICE_BATCH_STATUS_LABELS: Record<'OPEN' | 'WITH_FINANCE' | 'ISSUED' | 'DONE', Label> = {
  OPEN: { zh: '未截止', en: 'Open' },
  WITH_FINANCE: { zh: '财务开票中', en: 'With finance' },
  ISSUED: { zh: '已开票，待寄送', en: 'Issued, mailing to follow' },
  DONE: { zh: '已完成', en: 'Done' },
};

/** Warnings on an invoice request: recorded as asked, but worth a second look. */
export const INVOICE_WARNING_LABELS: Record<'USCC_CHECKSUM', Label> = {
  USCC_CHECKSUM: {
    zh: '税号校验位不符，请与客户核对',
    en: 'The tax id’s check character does not match: check it with the customer',
  },
};

/** A refusal whose code has no label yet: plain words by its HTTP status. */
const ERROR_BY_STATUS: Record<number, Label> = {
  400: ERROR_LABELS.VALIDATION_FAILED as Label,
  401: ERROR_LABELS.UNAUTHORIZED as Label,
  403: ERROR_LABELS.FORBIDDEN as Label,
  404: ERROR_LABELS.NOT_FOUND as Label,
  409: { zh: '状态已改变', en: 'It changed meanwhile' },
  410: { zh: '已过期', en: 'Expired' },
  422: { zh: '无法完成', en: 'Cannot do that' },
};
const CANNOT: Label = { zh: '无法完成', en: 'Cannot do that' };

export const eventLabel = (type: string): Label => EVENT_LABELS[type] ?? OTHER_EVENT;

export function errorLabel(code: string, statusCode: number): Label {
  return (
    ERROR_LABELS[code] ??
    ERROR_BY_STATUS[statusCode] ??
    (statusCode >= 500 ? (ERROR_LABELS.INTERNAL as Label) : CANNOT)
  );
}

/** The title of an error page, by its status: 403/404 and the rest, in plain words. */
export function errorPageTitle(statusCode: number): Label {
  if (statusCode >= 500) return { zh: '出错了', en: 'Something went wrong' };
  return ERROR_BY_STATUS[statusCode] ?? CANNOT;
}

/** What an administration form did, as its confirmation banner says it (lib/admin/pages.ts). */
export const ADMIN_OUTCOME_LABELS: Record<'created' | 'saved' | 'deactivated' | 'entitySaved', Label> = {
  created: { zh: '已新增人员', en: 'Person added' },
  saved: { zh: '已保存人员信息', en: 'Person saved' },
  deactivated: { zh: '已停用人员', en: 'Person deactivated' },
  entitySaved: { zh: '已保存单位信息', en: 'Entity saved' },
};

/** The administration forms' fields, as a refusal's summary names them (lib/admin/screens.tsx). */
export const ADMIN_FIELD_LABELS: Record<string, Label> = {
  email: { zh: '邮箱', en: 'Email' },
  name: { zh: '姓名/名称', en: 'Name' },
  roles: { zh: '角色', en: 'Roles' },
  managerEmail: { zh: '上级', en: 'Manager' },
  deputyEmail: { zh: '代理人', en: 'Deputy' },
  active: { zh: '在职', en: 'Active' },
  vouchers: { zh: '待审批的凭单', en: 'Open approvals' },
  deputyOf: { zh: '代理的负责人', en: 'Deputy of' },
  taxId: { zh: '统一社会信用代码', en: 'USCC' },
  bankAccounts: { zh: '银行账户', en: 'Bank accounts' },
  invoicing: { zh: '开票设置', en: 'Invoicing settings' },
};

/** A supplier's details, as the supplier-change page names them (lib/admin/supplier-change-screens.tsx). */
export const SUPPLIER_CHANGE_FIELD_LABELS: Record<
  'name' | 'bankAccount' | 'bankName' | 'accountType' | 'taxId',
  Label
> = {
  name: { zh: '名称', en: 'Name' },
  bankAccount: { zh: '银行账号', en: 'Bank account' },
  bankName: { zh: '开户行', en: 'Bank' },
  accountType: { zh: '账户类型', en: 'Account type' },
  taxId: { zh: '统一社会信用代码', en: 'USCC' },
};

export const ACCOUNT_TYPE_LABELS: Record<'CORPORATE' | 'PERSONAL', Label> = {
  CORPORATE: { zh: '对公账户', en: 'Corporate account' },
  PERSONAL: { zh: '个人账户', en: 'Personal account' },
};

/** What the supplier-change page's forms did, as its confirmation banner says it. */
export const SUPPLIER_CHANGE_OUTCOME_LABELS: Record<'requested' | 'approved' | 'rejected', Label> = {
  requested: {
    zh: '变更已提交，等待另一位财务人员审核',
    en: 'Change asked for; another finance person reviews it',
  },
  approved: { zh: '变更已批准，供应商资料已更新', en: 'Change approved; the supplier’s details are updated' },
  rejected: {
    zh: '变更已驳回，供应商资料未改变',
    en: 'Change rejected; the supplier’s details stay as they were',
  },
};

/** The delegation form's fields, as a refusal's summary names them (lib/admin/delegation-screens.tsx). */
export const DELEGATION_FIELD_LABELS: Record<'from' | 'to' | 'validFrom' | 'validTo' | 'reason', Label> = {
  from: { zh: '授权人', en: 'Delegating person' },
  to: { zh: '被授权人', en: 'Delegate' },
  validFrom: { zh: '开始日', en: 'First day' },
  validTo: { zh: '结束日', en: 'Last day' },
  reason: { zh: '理由', en: 'Reason' },
};

/** The proxy assignment form's fields, as a refusal's summary names them (lib/admin/proxy-screens.tsx). */
export const PROXY_ASSIGNMENT_FIELD_LABELS: Record<'approver' | 'proxy' | 'from' | 'to' | 'reason', Label> = {
  approver: { zh: '审批人', en: 'Approver' },
  proxy: { zh: '代录人', en: 'Proxy' },
  from: { zh: '开始日', en: 'First day' },
  to: { zh: '结束日', en: 'Last day' },
  reason: { zh: '理由', en: 'Reason' },
};
