/** The daily export's email to the entity's merchandising and finance (POLICY 3.1, D10). */
import type { LocalDate } from '../domain/model.ts';
import type { DailyExport } from '../platform/store.ts';
import { type Email, email } from '../ui/email.tsx';
import { shanghaiTime, yuan } from '../ui/format.ts';

export function dailyExportReady(
  record: DailyExport,
  to: string[],
  links: { page: string; csv: string; xlsx: string },
): Email {
  const date: LocalDate = record.date;
  return email({
    to,
    subject: `[fundflow] 每日订单导出 Daily export of ${date}: ${record.orders} (${yuan(record.amountFen)})`,
    lines: [
      `${date} 的每日订单导出已生成 The daily export of ${date} is ready.`,
      `时间段 Window: ${shanghaiTime(record.windowStart)} – ${shanghaiTime(record.windowEnd)}`,
      `订单 Orders: ${record.orders} · 金额合计 Amount: ${yuan(record.amountFen)} · 应付供应商 Supplier payable: ${yuan(record.supplierPayableFen)}`,
      `其中迟到 Late among them: ${record.late}`,
    ],
    links: [
      { href: links.page, label: '打开每日导出 Open the daily exports' },
      { href: links.xlsx, label: '下载 Excel Download XLSX' },
      { href: links.csv, label: '下载 CSV Download CSV' },
    ],
  });
}
