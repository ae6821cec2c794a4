/**
 * One engine on one generated week (bench/reconciliation.ts), in a process of its own so its peak RSS
 * is its own; prints `{wallMs, maxRssMb, counts}` as the last line.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { WorkingDayCalendar } from '../lib/domain/calendar.ts';
import { DEFAULT_POLICY } from '../lib/domain/policy.ts';
import { reconcile, type SupplierMaster } from '../lib/reconciliation/engine.ts';
import { TempDirPartitions } from '../lib/reconciliation/partitions.ts';
import { readMasterData, readPlatformOrders } from '../lib/reconciliation/sheets.ts';
import { reconciliationWeek } from '../lib/reconciliation/week.ts';

const [engine, dir = '.'] = process.argv.slice(2);
const file = (name: string) => ({ name, path: path.join(dir, name) });
const week = reconciliationWeek('2026-09-28', new WorkingDayCalendar(), DEFAULT_POLICY);

async function fundflow(): Promise<Record<string, number>> {
  const suppliers = new Map<string, SupplierMaster>();
  for await (const batch of readMasterData(file('suppliers.csv'))) {
    for (const line of batch)
      suppliers.set(line.id, { ...line, accountType: line.accountType || 'CORPORATE' });
  }
  const store = new TempDirPartitions();
  try {
    const result = await reconcile(
      {
        week,
        summaries: [file('summary.csv')],
        statements: [file('account-log.csv')],
        masterData: [file('master.csv')],
        platformOrders: () => readPlatformOrders(file('orders.csv')),
        suppliers: { get: async (id) => suppliers.get(id) ?? null },
      },
      { store },
    );
    // The differences are read back too: the merged output is part of the work.
    let read = 0;
    for await (const _ of result.differences()) read++;
    if (read !== Object.values(result.counts).reduce((a, b) => a + b, 0)) throw new Error('differences lost');
    return result.counts;
  } finally {
    await store.dispose();
  }
}

/** The same rules as lib/reconciliation/engine.ts, as SQL over the same files. */
async function duckdb(): Promise<Record<string, number>> {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  const q = (name: string) => `'${path.join(dir, name).replaceAll("'", "''")}'`;
  const start = '2026-09-28 00:00:00';
  const end = '2026-10-05 00:00:00';
  await db.run(`
    CREATE TEMP TABLE o AS SELECT orderId, supplierId, CAST(round(amount * 100) AS BIGINT) AS amount,
      CAST(round(supplierPayable * 100) AS BIGINT) AS payable, disputeStatus,
      CAST(fundsCreditedAt AS TIMESTAMPTZ) AS completed
      FROM read_csv(${q('orders.csv')}, header = true, all_varchar = false,
        types = {'orderId': 'VARCHAR', 'supplierId': 'VARCHAR', 'amount': 'DECIMAL(18,2)', 'supplierPayable': 'DECIMAL(18,2)', 'fundsCreditedAt': 'VARCHAR'});
    CREATE TEMP TABLE s_all AS SELECT row_number() OVER () AS line, orderId, supplierId,
      CAST(round(amount * 100) AS BIGINT) AS amount, CAST(round(supplierPayable * 100) AS BIGINT) AS payable
      FROM read_csv(${q('summary.csv')}, header = true,
        types = {'orderId': 'VARCHAR', 'supplierId': 'VARCHAR', 'amount': 'DECIMAL(18,2)', 'supplierPayable': 'DECIMAL(18,2)'});
    CREATE TEMP TABLE s AS SELECT * FROM s_all QUALIFY row_number() OVER (PARTITION BY orderId ORDER BY line) = 1;
    CREATE TEMP TABLE a AS SELECT DISTINCT ON (trim(账务流水号, chr(9))) trim(账务流水号, chr(9)) AS serial,
      trim(商户订单号, chr(9)) AS orderId, 发生时间 AS at,
      CAST(round(coalesce("收入金额（+元）", 0) * 100) AS BIGINT) AS income,
      CAST(round(coalesce("支出金额（-元）", 0) * 100) AS BIGINT) AS expense, 业务类型 AS type
      FROM read_csv(${q('account-log.utf8.csv')}, header = true, all_varchar = false,
        types = {'账务流水号': 'VARCHAR', '业务流水号': 'VARCHAR', '商户订单号': 'VARCHAR', '发生时间': 'VARCHAR', '收入金额（+元）': 'DECIMAL(18,2)', '支出金额（-元）': 'DECIMAL(18,2)'})
      WHERE 发生时间 >= '${start}' AND 发生时间 < '${end}';
    CREATE TEMP TABLE credit AS SELECT orderId, sum(income) AS fen FROM a
      WHERE income > 0 AND type NOT SIMILAR TO '.*(服务费|手续费|收费|退款).*' GROUP BY orderId;
    CREATE TEMP TABLE refund AS SELECT orderId FROM a WHERE type LIKE '%退款%' GROUP BY orderId;
    CREATE TEMP TABLE w AS SELECT * FROM o
      WHERE completed >= TIMESTAMPTZ '${start}+08:00' AND completed < TIMESTAMPTZ '${end}+08:00';
    CREATE TEMP TABLE sup AS SELECT * FROM read_csv(${q('suppliers.csv')}, header = true, all_varchar = true);
    CREATE TEMP TABLE m AS SELECT * FROM read_csv(${q('master.csv')}, header = true, all_varchar = true);
  `);
  const norm = (column: string) => `upper(replace(coalesce(${column}, ''), ' ', ''))`;
  const counts: Record<string, string> = {
    MISSING_IN_SUMMARY: 'SELECT count(*) FROM w ANTI JOIN s USING (orderId)',
    NOT_IN_PLATFORM: 'SELECT count(*) FROM s ANTI JOIN o USING (orderId)',
    AMOUNT_MISMATCH:
      'SELECT sum((s.amount <> w.amount)::INT + (s.payable <> w.payable)::INT) FROM s JOIN w USING (orderId)',
    DUPLICATE_LINE: `SELECT (SELECT count(*) - count(DISTINCT orderId) FROM s_all) + (SELECT count(*) - count(DISTINCT orderId) FROM o)
      + (SELECT count(*) - count(DISTINCT id) FROM m)`,
    OUTSIDE_PERIOD: `SELECT (SELECT count(*) FROM s JOIN o USING (orderId) ANTI JOIN w USING (orderId))
      + (SELECT count(*) FROM credit JOIN o USING (orderId) ANTI JOIN w USING (orderId))`,
    MISSING_IN_STATEMENT: 'SELECT count(*) FROM w ANTI JOIN credit USING (orderId)',
    NOT_IN_ORDERS: 'SELECT count(*) FROM credit ANTI JOIN o USING (orderId)',
    STATEMENT_AMOUNT_MISMATCH:
      'SELECT count(*) FROM w JOIN credit USING (orderId) WHERE credit.fen <> w.amount',
    UNRECORDED_REFUND:
      "SELECT count(*) FROM refund LEFT JOIN o USING (orderId) WHERE o.orderId IS NULL OR o.disputeStatus = 'NONE'",
    UNKNOWN_PARTY: `SELECT count(*) FROM (
      SELECT supplierId AS id FROM s WHERE supplierId <> '' UNION SELECT id FROM m WHERE kind = 'SUPPLIER'
    ) ANTI JOIN sup USING (id)`,
    MASTER_DATA_CHANGE: `SELECT sum((${norm('m.name')} <> ${norm('sup.name')})::INT + (${norm('m.bankAccount')} <> ${norm('sup.bankAccount')})::INT
      + (${norm('m.bankName')} <> ${norm('sup.bankName')})::INT) FROM m JOIN sup USING (id) WHERE m.kind = 'SUPPLIER'`,
  };
  const result: Record<string, number> = {};
  for (const [category, sql] of Object.entries(counts)) {
    const reader = await db.runAndReadAll(sql);
    result[category] = Number(reader.getRows()[0]?.[0] ?? 0);
  }
  db.closeSync();
  instance.closeSync();
  return result;
}

const started = performance.now();
const cpuBefore = process.cpuUsage();
const counts = engine === 'duckdb' ? await duckdb() : await fundflow();
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const cpuMs = (cpu.user + cpu.system) / 1000;
/**
 * This process's own peak RSS. Not ru_maxrss: Linux carries it over from the parent through fork and
 * exec, so it reported the bench's RSS after generating the week (≈450 MB at 1M orders, held by the
 * generator) whenever that was higher. /proc/self/status VmHWM is this process's own high-water mark.
 */
function peakRssMb(): number {
  try {
    const hwm = /VmHWM:\s*(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) / 1024;
  } catch {
    // No /proc (not Linux): ru_maxrss, with the caveat above.
  }
  return process.resourceUsage().maxRSS / 1024;
}
console.log(JSON.stringify({ wallMs, cpuMs, maxRssMb: peakRssMb(), counts }));
