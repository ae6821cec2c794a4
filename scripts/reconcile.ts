/**
 * `npm run reconcile -- --week 2026-09-28 --summary F --statement F [--statement F…] [--master F]
 *   --orders F [--suppliers F] [--out report.xlsx] [--partitions N]`
 *
 * The weekly reconciliation engine (lib/reconciliation) on local files, with a progress bar on stderr
 * and the XLSX report written at the end. fundflow's side comes from files here: `--orders` in the
 * order import format (orderId,supplierId,amount,supplierPayable,receiptConfirmedAt,fundsCreditedAt,
 * disputeStatus) and `--suppliers` (fundflow's supplier master in the master-data sheet's format).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { WorkingDayCalendar } from '../lib/domain/calendar.ts';
import { AppError } from '../lib/domain/errors.ts';
import { formatFen } from '../lib/domain/money.ts';
import { DEFAULT_POLICY } from '../lib/domain/policy.ts';
import { reconcile, type SupplierMaster } from '../lib/reconciliation/engine.ts';
import { DIFFERENCE_CATEGORIES } from '../lib/reconciliation/model.ts';
import { TempDirPartitions } from '../lib/reconciliation/partitions.ts';
import { CATEGORY_TITLES, writeReconciliationReport } from '../lib/reconciliation/report.ts';
import { readMasterData, readPlatformOrders } from '../lib/reconciliation/sheets.ts';
import type { InputFile } from '../lib/reconciliation/text-input.ts';
import { reconciliationWeek } from '../lib/reconciliation/week.ts';

const USAGE =
  'usage: npm run reconcile -- --week YYYY-MM-DD --summary F --statement F [--statement F …] [--master F] --orders F [--suppliers F] [--out F] [--partitions N]';

const asFile = (file: string): InputFile => ({ name: path.basename(file), path: path.resolve(file) });

function bar(done: number, total: number, width = 30): string {
  const filled = total === 0 ? 0 : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      week: { type: 'string' },
      summary: { type: 'string', multiple: true },
      statement: { type: 'string', multiple: true },
      master: { type: 'string', multiple: true },
      orders: { type: 'string' },
      suppliers: { type: 'string' },
      out: { type: 'string' },
      partitions: { type: 'string' },
    },
  });
  if (!values.week || !values.summary?.length || !values.statement?.length) {
    console.error(USAGE);
    return 2;
  }
  if (!values.orders) {
    // fundflow's orders of the week come from a file here; reading them from the table needs the
    // orders-by-completion index of the daily export (issue 12 §1), which the workflow will use.
    console.error(
      `需要 fundflow 自己的订单：请给出 --orders F（订单导入格式）。fundflow's own orders are needed: give --orders F (the order import format).\n${USAGE}`,
    );
    return 2;
  }
  const week = reconciliationWeek(values.week, new WorkingDayCalendar(), DEFAULT_POLICY);
  const suppliers = new Map<string, SupplierMaster>();
  if (values.suppliers) {
    for await (const batch of readMasterData(asFile(values.suppliers))) {
      for (const line of batch) {
        if (line.kind === 'SUPPLIER')
          suppliers.set(line.id, { ...line, accountType: line.accountType || 'CORPORATE' });
      }
    }
  }
  const orders = asFile(values.orders);
  const store = new TempDirPartitions();
  const started = performance.now();
  const tty = process.stderr.isTTY;
  let lastDraw = 0;
  try {
    const result = await reconcile(
      {
        week,
        summaries: values.summary.map(asFile),
        statements: values.statement.map(asFile),
        masterData: (values.master ?? []).map(asFile),
        platformOrders: () => readPlatformOrders(orders),
        suppliers: { get: async (id) => suppliers.get(id) ?? null },
      },
      {
        store,
        ...(values.partitions ? { partitions: Number(values.partitions) } : {}),
        onProgress: (progress) => {
          const now = performance.now();
          if (now - lastDraw < 100 && progress.stage !== 'DONE') return;
          lastDraw = now;
          const text =
            progress.stage === 'READING'
              ? `读取 reading   ${progress.rowsRead.toLocaleString('en-US')} 行 rows`
              : `核对 matching  ${bar(progress.partitionsDone, progress.partitions)} ${progress.partitionsDone}/${progress.partitions} 分区 partitions, ${progress.rowsRead.toLocaleString('en-US')} 行 rows`;
          process.stderr.write(tty ? `\r${text.padEnd(90)}` : `${text}\n`);
        },
      },
    );
    if (tty) process.stderr.write('\n');
    const out = path.resolve(values.out ?? `reconciliation-${week.week}.xlsx`);
    await writeReconciliationReport(out, week, result);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `对账周 week ${week.week}（截止 due ${week.dueOn}）：核对一致 ${result.totals.matchedLines} 行 lines matched，用时 in ${seconds} s`,
    );
    for (const category of DIFFERENCE_CATEGORIES) {
      if (result.counts[category] > 0)
        console.log(`  ${CATEGORY_TITLES[category]}: ${result.counts[category]}`);
    }
    console.log(
      `  支付宝服务费 Alipay fees: ${result.totals.statement.fees.count} 笔 rows, ${formatFen(result.totals.statement.fees.fen)} 元 yuan`,
    );
    console.log(`对账报告 report: ${out}`);
    return 0;
  } finally {
    await store.dispose();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  // A refused file is the user's to fix: its message says which line; anything else is a bug.
  if (error instanceof AppError) {
    console.error(`\n拒收 refused (${error.code}): ${error.message}`);
    process.exitCode = 1;
  } else throw error;
}
