/**
 * The weekly reconciliation at scale (issue 12 §3): figures, not assertions.
 *
 * Generates a week of N orders (fundflow's orders in the import format, merchandising's summary, the
 * master-data sheet, fundflow's supplier master) and its Alipay account log (GBK, real header and
 * footer), with `PLANTED` differences of every category; then runs, each in a process of its own so
 * its peak RSS is its own:
 *   - fundflow's engine (lib/reconciliation) on the files as they are — its time includes decoding GBK;
 *   - DuckDB (`@duckdb/node-api`) doing the same joins on the same files (the account log decoded to
 *     UTF-8 and its `#` lines dropped first, untimed: DuckDB cannot read GBK);
 * and prints wall time, peak RSS, the ratio and the counts each found (they must agree). Then the
 * partitioned engine's peak RSS at 250k, 500k and 1M orders (flat as the week grows).
 *
 *   npm run bench -- reconciliation            1,000,000 orders vs DuckDB, then RSS at 250k/500k/1M
 *   npm run bench -- reconciliation --orders N N orders vs DuckDB only
 *   npm run bench                              (the whole bench) 100,000 orders vs DuckDB
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { accountLogText, gbk } from '../test/support/alipay-files.ts';

/** Planted differences per category. */
export const PLANTED = 300;
const SUPPLIERS = 2000;
const WEEK_START_MS = Date.parse('2026-09-28T00:00:00+08:00');
const WEEK_SECONDS = 7 * 24 * 3600;

const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
const beijing = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 19);
const iso = (ms: number) => `${beijing(ms)}+08:00`;
const alipayTime = (ms: number) => beijing(ms).replace('T', ' ');

class BlockWriter {
  private readonly fd: number;
  private parts: string[] = [];
  constructor(file: string) {
    this.fd = openSync(file, 'w');
  }
  line(text: string): void {
    this.parts.push(text);
    if (this.parts.length >= 20_000) this.flush();
  }
  flush(): void {
    if (this.parts.length) writeSync(this.fd, `${this.parts.join('\n')}\n`);
    this.parts = [];
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

export interface GeneratedWeek {
  dir: string;
  orders: number;
  expected: Record<string, number>;
}

/** The week's files in `dir`; category k's planted orders are i in [k·PLANTED, (k+1)·PLANTED). */
export function generateWeek(dir: string, orders: number): GeneratedWeek {
  const planted = (i: number) => (i < 11 * PLANTED ? Math.floor(i / PLANTED) : -1);
  const orderFile = new BlockWriter(path.join(dir, 'orders.csv'));
  const summary = new BlockWriter(path.join(dir, 'summary.csv'));
  orderFile.line(
    'orderId,supplierId,amount,supplierPayable,receiptConfirmedAt,fundsCreditedAt,disputeStatus',
  );
  summary.line('orderId,supplierId,supplierName,amount,supplierPayable,completedAt');
  const statement: {
    serial: string;
    orderId: string;
    time: string;
    fen: number;
    type: '在线支付' | '退款' | '交易服务费';
  }[] = [];
  let serial = 0;
  const nextSerial = () => `2026${String(++serial).padStart(16, '0')}`;
  for (let i = 0; i < orders; i++) {
    const category = planted(i);
    const orderId = `LS${String(i).padStart(10, '0')}`;
    const supplierId = category === 9 ? `SUPX-${i}` : `SUP-${i % SUPPLIERS}`;
    const amount = 1000 + ((i * 7919) % 100_000);
    const payable = Math.floor(amount * 0.8);
    const completedMs =
      category === 4
        ? WEEK_START_MS - 86_400_000
        : WEEK_START_MS + Math.floor((i / orders) * WEEK_SECONDS) * 1000;
    orderFile.line(`${orderId},${supplierId},${yuan(amount)},${yuan(payable)},,${iso(completedMs)},NONE`);
    // 0 MISSING_IN_SUMMARY: no summary line. 2 AMOUNT_MISMATCH: +0.01. 3 DUPLICATE_LINE: twice.
    if (category !== 0) {
      const line = `${orderId},${supplierId},供应商${i % SUPPLIERS},${yuan(category === 2 ? amount + 1 : amount)},${yuan(payable)},${iso(completedMs)}`;
      summary.line(line);
      if (category === 3) summary.line(line);
    }
    // 1 NOT_IN_PLATFORM: a summary line for an order fundflow does not have.
    if (category === 1) summary.line(`GH${String(i).padStart(10, '0')},SUP-1,供应商1,10.00,8.00,`);
    // 4 OUTSIDE_PERIOD and 5 MISSING_IN_STATEMENT: no credit; 7 STATEMENT_AMOUNT_MISMATCH: 0.01 short.
    if (category !== 4 && category !== 5) {
      const time = alipayTime(completedMs);
      statement.push({
        serial: nextSerial(),
        orderId,
        time,
        fen: category === 7 ? amount - 1 : amount,
        type: '在线支付',
      });
      // 8 UNRECORDED_REFUND: a refund fundflow does not show.
      if (category === 8) statement.push({ serial: nextSerial(), orderId, time, fen: -100, type: '退款' });
      if (i % 100 === 0)
        statement.push({
          serial: nextSerial(),
          orderId: '',
          time,
          fen: -Math.ceil(amount * 0.006),
          type: '交易服务费',
        });
    }
    // 6 NOT_IN_ORDERS: a credit for no order.
    if (category === 6) {
      statement.push({
        serial: nextSerial(),
        orderId: `NO${String(i).padStart(10, '0')}`,
        time: alipayTime(WEEK_START_MS + 3600_000),
        fen: 5000,
        type: '在线支付',
      });
    }
  }
  orderFile.close();
  summary.close();

  // The account log: GBK, written a block at a time through the real header/footer generator's rows.
  const text = accountLogText({ from: '2026-09-28T00:00:00', to: '2026-10-05T00:00:00', rows: statement });
  writeFileSync(path.join(dir, 'account-log.csv'), gbk(text));
  // DuckDB's copy: decoded, comments dropped (untimed).
  const decoded = new TextDecoder('gb18030').decode(readFileSync(path.join(dir, 'account-log.csv')));
  writeFileSync(
    path.join(dir, 'account-log.utf8.csv'),
    decoded
      .split('\r\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .join('\n'),
  );

  // 10 MASTER_DATA_CHANGE: the sheet's bank account differs for PLANTED suppliers.
  const master = ['kind,id,name,bankAccount,bankName,accountType,taxId'];
  const own = ['kind,id,name,bankAccount,bankName,accountType,taxId'];
  for (let s = 0; s < SUPPLIERS; s++) {
    const account = `6222${String(s).padStart(12, '0')}`;
    own.push(`SUPPLIER,SUP-${s},供应商${s},${account},招商银行,CORPORATE,`);
    master.push(
      `SUPPLIER,SUP-${s},供应商${s},${s < PLANTED ? `6228${String(s).padStart(12, '0')}` : account},招商银行,CORPORATE,`,
    );
  }
  writeFileSync(path.join(dir, 'master.csv'), `${master.join('\n')}\n`);
  writeFileSync(path.join(dir, 'suppliers.csv'), `${own.join('\n')}\n`);
  const expected = {
    MISSING_IN_SUMMARY: PLANTED,
    NOT_IN_PLATFORM: PLANTED,
    AMOUNT_MISMATCH: PLANTED,
    DUPLICATE_LINE: PLANTED,
    OUTSIDE_PERIOD: PLANTED,
    MISSING_IN_STATEMENT: PLANTED,
    NOT_IN_ORDERS: PLANTED,
    STATEMENT_AMOUNT_MISMATCH: PLANTED,
    UNRECORDED_REFUND: PLANTED,
    UNKNOWN_PARTY: PLANTED,
    MASTER_DATA_CHANGE: PLANTED,
  };
  return { dir, orders, expected };
}

interface WorkerResult {
  wallMs: number;
  /** User + system CPU time: what the machine's other load does not inflate (DuckDB uses every core). */
  cpuMs: number;
  maxRssMb: number;
  counts: Record<string, number>;
}

function worker(engine: 'fundflow' | 'duckdb', dir: string): WorkerResult {
  const out = execFileSync(
    process.execPath,
    [
      // fundflow's engine runs with the heap a 512 MB Lambda gives Node (V8 otherwise grows its heap lazily
      // far past what is live); DuckDB manages its own memory.
      ...(engine === 'fundflow' ? ['--max-old-space-size=256'] : []),
      '--import',
      'tsx',
      path.join(import.meta.dirname, 'reconciliation-worker.ts'),
      engine,
      dir,
    ],
    { encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as WorkerResult;
}

const pad = (text: string, width: number) => text.padEnd(width);

export function compareWithDuckDb(orders: number): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-recon-'));
  try {
    const started = performance.now();
    const week = generateWeek(dir, orders);
    console.log(
      `generated ${orders.toLocaleString('en-US')} orders, ${PLANTED} planted differences per category, in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const fundflow = worker('fundflow', dir);
    const duckdb = worker('duckdb', dir);
    console.log(`${pad('', 28)}${pad('fundflow', 14)}${pad('DuckDB', 14)}ratio`);
    console.log(
      `${pad('wall time', 28)}${pad(`${(fundflow.wallMs / 1000).toFixed(2)} s`, 14)}${pad(`${(duckdb.wallMs / 1000).toFixed(2)} s`, 14)}${(fundflow.wallMs / duckdb.wallMs).toFixed(2)}× (target ≤ 2×)`,
    );
    console.log(
      `${pad('CPU time (user + system)', 28)}${pad(`${(fundflow.cpuMs / 1000).toFixed(2)} s`, 14)}${pad(`${(duckdb.cpuMs / 1000).toFixed(2)} s`, 14)}${(fundflow.cpuMs / duckdb.cpuMs).toFixed(2)}×`,
    );
    console.log(
      `${pad('peak RSS', 28)}${pad(`${fundflow.maxRssMb.toFixed(0)} MB`, 14)}${pad(`${duckdb.maxRssMb.toFixed(0)} MB`, 14)}(target ≤ 512 MB for fundflow)`,
    );
    let agree = true;
    for (const [category, planted] of Object.entries(week.expected)) {
      const a = fundflow.counts[category] ?? 0;
      const b = duckdb.counts[category] ?? 0;
      if (a !== b || a !== planted) agree = false;
      console.log(
        `${pad(category, 28)}${pad(String(a), 14)}${pad(String(b), 14)}planted ${planted}${a === b && a === planted ? '' : '  ← DISAGREE'}`,
      );
    }
    console.log(agree ? 'the counts agree, and match what was planted' : 'THE COUNTS DISAGREE');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function rssAsTheWeekGrows(sizes: readonly number[]): void {
  console.log('— partitioned engine, peak RSS as the week grows —');
  for (const orders of sizes) {
    const dir = mkdtempSync(path.join(tmpdir(), 'bench-recon-'));
    try {
      generateWeek(dir, orders);
      const result = worker('fundflow', dir);
      console.log(
        `${pad(`${orders.toLocaleString('en-US')} orders`, 28)}${pad(`${result.maxRssMb.toFixed(0)} MB`, 14)}${(result.wallMs / 1000).toFixed(2)} s wall, ${(result.cpuMs / 1000).toFixed(2)} s CPU`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

export function reconciliationBench(args: readonly string[]): void {
  const flag = args.indexOf('--orders');
  const orders = flag >= 0 ? Number(args[flag + 1]) : null;
  console.log('— weekly reconciliation: fundflow vs DuckDB, same files —');
  if (orders !== null) {
    compareWithDuckDb(orders);
    return;
  }
  compareWithDuckDb(1_000_000);
  rssAsTheWeekGrows([250_000, 500_000, 1_000_000]);
}
