/**
 * Test and bench fixtures for the weekly reconciliation, generated (no binary blobs committed): Alipay
 * account logs and trade details in their real layout — GBK bytes, `#` header and footer with totals,
 * ids ending in a tab —, zips of them, and the summary and order files.
 */
import { writeFileSync } from 'node:fs';
import { crc32, deflateRawSync } from 'node:zlib';

let gbkTable: Map<string, Buffer> | null = null;

/** GBK bytes of a text: a table built once from GB18030's own decoder (Node has no GBK encoder). */
export function gbk(text: string): Buffer {
  if (!gbkTable) {
    gbkTable = new Map();
    const decoder = new TextDecoder('gb18030');
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const bytes = Buffer.from([lead, trail]);
        const char = decoder.decode(bytes);
        if (char.length === 1 && char !== '\ufffd' && !gbkTable.has(char)) gbkTable.set(char, bytes);
      }
    }
  }
  // ASCII runs as they are, runs of other characters through the table (memoized: a bill repeats them).
  const table = gbkTable;
  const parts: Buffer[] = [];
  for (const run of text.split(/([\u0080-\uffff]+)/)) {
    if (run === '') continue;
    if (run.charCodeAt(0) < 0x80) {
      parts.push(Buffer.from(run, 'latin1'));
      continue;
    }
    let bytes = runs.get(run);
    if (!bytes) {
      bytes = Buffer.concat(
        [...run].map((char) => {
          const code = table.get(char);
          if (!code) throw new Error(`no GBK code for ${char}`);
          return code;
        }),
      );
      if (runs.size < 10_000) runs.set(run, bytes);
    }
    parts.push(bytes);
  }
  return Buffer.concat(parts);
}

const runs = new Map<string, Buffer>();

/** A zip (deflated entries, GBK names without the UTF-8 flag, as Alipay's are). */
export function zip(entries: { name: string; body: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = gbk(entry.name);
    const data = deflateRawSync(entry.body);
    const crc = crc32(entry.body);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(entry.body.length, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(entry.body.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + data.length;
  }
  const centralSize = centrals.reduce((sum, part) => sum + part.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

const yuan = (fen: number) => {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
};

/** `2026-09-28T00:00:00+08:00` → `2026年09月28日 00:00:00`. */
function alipayDate(iso: string): string {
  const [date = '', time = ''] = iso.split('T');
  const [y, m, d] = date.split('-');
  return `${y}年${m}月${d}日 ${time.slice(0, 8)}`;
}

export interface AccountLogRow {
  serial: string;
  orderId: string;
  /** Beijing wall-clock time, yyyy-MM-dd HH:mm:ss. */
  time: string;
  /** Positive: income; negative: expense. */
  fen: number;
  type: '在线支付' | '退款' | '交易服务费' | '提现' | '转账';
  product?: string;
}

export const ACCOUNT_LOG_HEADER =
  '账务流水号,业务流水号,商户订单号,商品名称,发生时间,对方账号,收入金额（+元）,支出金额（-元）,账户余额（元）,交易渠道,业务类型,备注';

/** An account log (账务明细) as text, header and footer as Alipay writes them. */
export function accountLogText(options: {
  from: string;
  to: string;
  rows: Iterable<AccountLogRow>;
  account?: string;
  /** Lines to spoil the file with, after the text is built. */
}): string {
  const lines = [
    '#支付宝账务明细查询',
    `#账号：[${options.account ?? '20881234567890120156'}]`,
    `#起始日期：[${alipayDate(options.from)}]   终止日期：[${alipayDate(options.to)}]`,
    '#-----------------------------------------账务明细列表----------------------------------------',
    ACCOUNT_LOG_HEADER,
  ];
  let income = { count: 0, fen: 0 };
  let expense = { count: 0, fen: 0 };
  let balance = 100_000_00;
  for (const row of options.rows) {
    balance += row.fen;
    if (row.fen > 0) income = { count: income.count + 1, fen: income.fen + row.fen };
    else expense = { count: expense.count + 1, fen: expense.fen - row.fen };
    lines.push(
      [
        `${row.serial}\t`,
        `${row.serial.slice(0, 16)}B\t`,
        `${row.orderId}\t`,
        row.product ?? '美妆套装',
        row.time,
        'buyer***@example.com',
        row.fen > 0 ? yuan(row.fen) : '',
        row.fen < 0 ? yuan(-row.fen) : '',
        yuan(balance),
        '支付宝',
        row.type,
        '',
      ].join(','),
    );
  }
  lines.push(
    '#-----------------------------------------账务明细列表结束------------------------------------',
    `#收入合计：${income.count}笔，共${yuan(income.fen)}元`,
    `#支出合计：${expense.count}笔，共-${yuan(expense.fen)}元`,
    `#导出时间：[${alipayDate(options.to)}]`,
  );
  return `${lines.join('\r\n')}\r\n`;
}

export interface TradeDetailRow {
  tradeNo: string;
  orderId: string;
  type: '交易' | '退款';
  time: string;
  fen: number;
  feeFen: number;
  refundBatch?: string;
}

export const TRADE_DETAIL_HEADER =
  '支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注';

/** A trade detail (业务明细) as text. */
export function tradeDetailText(options: {
  from: string;
  to: string;
  rows: Iterable<TradeDetailRow>;
}): string {
  const lines = [
    '#支付宝业务明细查询',
    '#账号：[20881234567890120156]',
    `#起始日期：[${alipayDate(options.from)}]   终止日期：[${alipayDate(options.to)}]`,
    '#-----------------------------------------业务明细列表----------------------------------------',
    TRADE_DETAIL_HEADER,
  ];
  const trades = { count: 0, fen: 0 };
  const refunds = { count: 0, fen: 0 };
  for (const row of options.rows) {
    const amount = row.type === '退款' ? -Math.abs(row.fen) : row.fen;
    const bucket = row.type === '退款' ? refunds : trades;
    bucket.count++;
    bucket.fen += amount;
    lines.push(
      [
        `${row.tradeNo}\t`,
        `${row.orderId}\t`,
        row.type,
        '美妆套装',
        row.time,
        row.time,
        '',
        '',
        '',
        '',
        'buyer***@example.com',
        yuan(amount),
        yuan(amount),
        '0.00',
        '0.00',
        '0.00',
        '0.00',
        '0.00',
        '',
        '0.00',
        '0.00',
        row.refundBatch ? `${row.refundBatch}\t` : '',
        yuan(row.feeFen),
        '0.00',
        '',
      ].join(','),
    );
  }
  lines.push(
    '#-----------------------------------------业务明细列表结束------------------------------------',
    `#交易合计：${trades.count}笔，商家实收共${yuan(trades.fen)}元`,
    `#退款合计：${refunds.count}笔，商家实收共${yuan(refunds.fen)}元`,
    `#导出时间：[${alipayDate(options.to)}]`,
  );
  return `${lines.join('\r\n')}\r\n`;
}

export function writeGbk(path: string, text: string): string {
  writeFileSync(path, gbk(text));
  return path;
}
