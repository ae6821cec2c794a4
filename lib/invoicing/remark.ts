/**
 * The invoice's 备注 (remark): the order ids an invoice request covers, as the application form
 * (application-form.ts) writes them — apart from the form, so recording a request checks the length
 * without loading the workbook's builder.
 */

/** The template's 备注 holds at most this many characters; the order ids must fit (checked when recording). */
export const REMARK_MAX_CHARS = 200;

export const remarkOf = (orderIds: readonly string[]): string => `订单号 ${orderIds.join(',')}`;
