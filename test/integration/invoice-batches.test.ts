import ExcelJS from 'exceljs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Person } from '../../lib/domain/model.ts';
import {
  BASIC_COLUMNS,
  BASIC_SHEET,
  CHECK_SHEET,
  DETAIL_COLUMNS,
  DETAIL_SHEET,
} from '../../lib/invoicing/application-form.ts';
import {
  applicationFile,
  closeBatch,
  invoiceBatch,
  invoiceWorkDue,
  recordBatchResult,
} from '../../lib/invoicing/batches.ts';
import {
  issueInvoice,
  recordDelivery,
  recordInvoiceRequest,
  returnInvoiceRequest,
} from '../../lib/invoicing/requests.ts';
import type { InvoiceRequestInput } from '../../lib/invoicing/schemas.ts';
import { type TestApp, testApp } from '../support/app.ts';

let app: TestApp;
let zhaoMin: Person;
let wuFang: Person;
let keys = 0;

const special = {
  type: 'COMPANY' as const,
  name: '福州某某贸易有限公司',
  taxId: '91350100M000100Y43',
  address: '福州市鼓楼区五四路 1 号',
  phone: '0591-12345678',
  bank: '中国银行福州分行',
  account: '1234567890123',
};

async function record(orderIds: string[], overrides: Partial<InvoiceRequestInput> = {}) {
  keys += 1;
  const { request } = await recordInvoiceRequest(app.deps, zhaoMin, {
    idempotencyKey: `batch-${keys}`,
    orderIds,
    kind: 'VAT_SPECIAL',
    buyer: special,
    delivery: { method: 'EMAIL', email: 'buyer@example.com' },
    ...overrides,
  });
  return request;
}

beforeEach(async () => {
  app = await testApp('2026-11-25T10:00:00+08:00');
  zhaoMin = app.person('zhao.min');
  wuFang = app.person('wu.fang');
});

describe('the 17:00 close (D12)', () => {
  it('puts a request of 16:59:59.999 into the day’s batch and one of 17:00:00.000 into the next', async () => {
    app.clock.set('2026-11-25T16:59:59.999+08:00');
    const before = await record(['LS-20261116-0001']);
    app.clock.set('2026-11-25T17:00:00.000+08:00');
    const after = await record(['LS-20261116-0002']);

    expect(before.batchDate).toBe('2026-11-25');
    expect(after.batchDate).toBe('2026-12-10');
  });

  it('sends the queued requests to finance at the close, due the third working day after', async () => {
    const request = await record(['LS-20261116-0001']);
    app.clock.set('2026-11-25T17:00:00+08:00');

    const { batch, sent, closedNow } = await closeBatch(app.deps, {
      entityId: zhaoMin.entityId,
      batchDate: '2026-11-25',
    });

    expect(closedNow).toBe(true);
    expect(batch).toMatchObject({ status: 'WITH_FINANCE', dueBy: '2026-11-30' });
    expect(sent.map((r) => [r.id, r.status])).toEqual([[request.id, 'WITH_FINANCE']]);
  });

  it('does nothing twice when the close runs again', async () => {
    await record(['LS-20261116-0001']);
    app.clock.set('2026-11-25T17:00:00+08:00');
    await closeBatch(app.deps, { entityId: zhaoMin.entityId, batchDate: '2026-11-25' });

    const again = await closeBatch(app.deps, { entityId: zhaoMin.entityId, batchDate: '2026-11-25' });

    expect(again).toMatchObject({ closedNow: false, sent: [] });
  });

  it('refuses to close a batch before 17:00', async () => {
    app.clock.set('2026-11-25T16:59:59.999+08:00');
    await expect(
      closeBatch(app.deps, { entityId: zhaoMin.entityId, batchDate: '2026-11-25' }),
    ).rejects.toMatchObject({
      code: 'BATCH_NOT_DUE',
    });
  });

  it('puts a request recorded after the close into the next batch', async () => {
    app.clock.set('2026-11-25T17:00:00+08:00');
    await closeBatch(app.deps, { entityId: zhaoMin.entityId, batchDate: '2026-11-25' });

    expect((await record(['LS-20261116-0001'])).batchDate).toBe('2026-12-10');
  });
});

describe('the batch as finance sees it (D12, D13)', () => {
  it('goes OPEN → WITH_FINANCE → ISSUED → DONE, a returned line not holding it up', async () => {
    const issued = await record(['LS-20261116-0001']);
    const returned = await record(['LS-20261116-0002']);
    const entity = zhaoMin.entityId;
    const statusOf = async () => (await invoiceBatch(app.deps, wuFang, '2026-11-25')).status;

    expect(await statusOf()).toBe('OPEN');
    app.clock.set('2026-11-25T17:00:00+08:00');
    await closeBatch(app.deps, { entityId: entity, batchDate: '2026-11-25' });
    expect(await statusOf()).toBe('WITH_FINANCE');
    app.clock.set('2026-11-26T10:00:00+08:00');
    await issueInvoice(app.deps, wuFang, issued.id, {
      invoiceNumber: '26352000000012345678',
      issuedOn: '2026-11-26',
    });
    await returnInvoiceRequest(app.deps, wuFang, returned.id, '税号不对 wrong tax id');
    expect(await statusOf()).toBe('ISSUED');
    await recordDelivery(app.deps, zhaoMin, issued.id, {
      method: 'EMAIL',
      sentTo: 'buyer@example.com',
      sentOn: '2026-11-26',
    });
    const batch = await invoiceBatch(app.deps, wuFang, '2026-11-25');
    expect(batch).toMatchObject({
      status: 'DONE',
      dueBy: '2026-11-30',
      closesAt: '2026-11-25T17:00:00.000+08:00',
      totals: { count: 2, amount: '214000.00', byStatus: { DELIVERED: 1, RETURNED: 1 } },
    });
  });

  it('shows finance as late after the due day while a line is left', async () => {
    await record(['LS-20261116-0001']);
    app.clock.set('2026-11-25T17:00:00+08:00');
    await closeBatch(app.deps, { entityId: zhaoMin.entityId, batchDate: '2026-11-25' });

    app.clock.set('2026-11-30T23:59:59+08:00');
    expect((await invoiceBatch(app.deps, wuFang, '2026-11-25')).late.finance).toBe(false);
    app.clock.set('2026-12-01T00:00:00+08:00');
    expect((await invoiceBatch(app.deps, wuFang, '2026-11-25')).late.finance).toBe(true);
  });
});

describe('reminders and escalations (D13)', () => {
  it('reminds finance on the due day and escalates the working day after, while lines remain', async () => {
    await record(['LS-20261116-0001']);
    app.clock.set('2026-11-25T17:00:00+08:00');
    await closeBatch(app.deps, { entityId: zhaoMin.entityId, batchDate: '2026-11-25' });

    const onDueDay = await invoiceWorkDue(app.deps, { entityId: zhaoMin.entityId, day: '2026-11-30' });
    const dayAfter = await invoiceWorkDue(app.deps, { entityId: zhaoMin.entityId, day: '2026-12-01' });

    expect(onDueDay.financeReminders).toEqual([{ batchDate: '2026-11-25', dueBy: '2026-11-30', lines: 1 }]);
    expect(onDueDay.financeEscalations).toEqual([]);
    expect(dayAfter.financeEscalations).toEqual([{ batchDate: '2026-11-25', dueBy: '2026-11-30', lines: 1 }]);
  });

  it('reminds nobody once every line is issued', async () => {
    const request = await record(['LS-20261116-0001']);
    app.clock.set('2026-11-25T17:00:00+08:00');
    await closeBatch(app.deps, { entityId: zhaoMin.entityId, batchDate: '2026-11-25' });
    app.clock.set('2026-11-27T10:00:00+08:00');
    await issueInvoice(app.deps, wuFang, request.id, {
      invoiceNumber: '26352000000012345678',
      issuedOn: '2026-11-27',
    });

    const due = await invoiceWorkDue(app.deps, { entityId: zhaoMin.entityId, day: '2026-11-30' });

    expect(due.financeReminders).toEqual([]);
  });

  it('reminds customer service on the mailing day and escalates after it', async () => {
    const request = await record(['LS-20261116-0001']);
    app.clock.set('2026-11-25T17:00:00+08:00');
    await closeBatch(app.deps, { entityId: zhaoMin.entityId, batchDate: '2026-11-25' });
    app.clock.set('2026-11-27T10:00:00+08:00');
    await issueInvoice(app.deps, wuFang, request.id, {
      invoiceNumber: '26352000000012345678',
      issuedOn: '2026-11-27',
    });

    const onDay = await invoiceWorkDue(app.deps, { entityId: zhaoMin.entityId, day: '2026-12-04' });
    const after = await invoiceWorkDue(app.deps, { entityId: zhaoMin.entityId, day: '2026-12-05' });

    expect(onDay.mailingReminders.map((item) => item.mailingDueOn)).toEqual(['2026-12-04']);
    expect(after.mailingEscalations.map((item) => item.requestId)).toEqual([request.id]);
  });
});

describe('the 《开票申请表》 on the tax bureau’s template', () => {
  async function closedBatchFile() {
    const company = await record(['LS-20261116-0001', 'LS-20261116-0002']);
    const person = await record(['LS-20261116-0005'], {
      kind: 'VAT_ORDINARY',
      buyer: { type: 'INDIVIDUAL', name: '张三' },
      delivery: { method: 'EMAIL', email: 'zhang.san@example.com' },
    });
    app.clock.set('2026-11-25T17:00:00+08:00');
    await closeBatch(app.deps, { entityId: zhaoMin.entityId, batchDate: '2026-11-25' });
    const file = await applicationFile(app.deps, wuFang, '2026-11-25');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.body as unknown as ArrayBuffer);
    return { company, person, workbook, file };
  }

  const rowValues = (sheet: ExcelJS.Worksheet, row: number, count: number) =>
    Array.from({ length: count }, (_, index) => sheet.getRow(row).getCell(index + 1).value);

  it('has the template’s sheets, headers in row 3 and the data from row 4, every cell text', async () => {
    const { company, person, workbook } = await closedBatchFile();
    const basic = workbook.getWorksheet(BASIC_SHEET);
    const detail = workbook.getWorksheet(DETAIL_SHEET);
    if (!basic || !detail) throw new Error('missing sheet');

    // The bureau's template V260401 (docs/invoicing.md), column for column.
    expect(workbook.worksheets.map((sheet) => [sheet.name, sheet.state])).toEqual([
      ['1-发票基本信息', 'visible'],
      ['2-发票明细信息', 'visible'],
      ['3-特定业务信息', 'visible'],
      ['4-附加要素信息', 'visible'],
      ['excelVersion', 'hidden'],
      [CHECK_SHEET, 'visible'],
    ]);
    expect(workbook.getWorksheet('excelVersion')?.getCell('A4').value).toBe('pt:20260401');
    const region = '购买方所在地区（报废产品收购必填）';
    expect(rowValues(basic, 3, 40)).toEqual([
      ...['发票流水号', '发票类型', '特定业务类型', '是否含税', '受票方自然人标识', '购买方名称'],
      ...['购买方纳税人识别号', '购买方证件类型', '购买方证件号码', '购买方国籍（或地区）', '购买方地址'],
      ...[region, region, region, region, '购买方详细地址（报废产品收购必填）', '购买方电话'],
      ...['购买方开户银行', '购买方银行账号', '是否展示购买方地址电话银行账号'],
      ...['是否开具涉税专业服务发票品目', '涉税专业服务协议编号', '备注', '报废产品销售类型'],
      ...['每千克煤炭发热量', '干基全硫', '干燥无灰基挥发分', '销售方开户行', '销售方银行账号'],
      ...['是否展示销售方地址电话银行账号', '购买方邮箱', '购买方经办人姓名', '购买方经办人证件类型'],
      ...['购买方经办人证件号码', '经办人国籍(地区)', '经办人自然人纳税人识别号'],
      ...['放弃享受减按1%征收率原因', '收款人', '复核人'],
      null,
    ]);
    expect(basic.getRow(3).getCell(17).value).toBe('购买方电话'); // Q, as V260401 has it
    expect(basic.getRow(3).getCell(31).value).toBe('购买方邮箱'); // AE
    expect(rowValues(detail, 3, 15)).toEqual([
      ...['发票流水号', '项目名称', '商品和服务税收编码', '规格型号', '单位', '数量', '单价', '金额'],
      ...['税率', '折扣金额', '是否使用优惠政策', '优惠政策类型', '即征即退类型', '煤炭种类'],
      null,
    ]);
    expect(rowValues(workbook.getWorksheet('4-附加要素信息') as ExcelJS.Worksheet, 3, 3)).toEqual([
      '发票流水号',
      '附加要素名称',
      '附加要素内容',
    ]);
    const numbers = [basic.getRow(4).getCell(1).value, basic.getRow(5).getCell(1).value];
    expect(numbers.sort()).toEqual([company.number, person.number].sort());
    for (const sheet of [basic, detail]) {
      sheet.eachRow((row, rowNumber) => {
        if (rowNumber < 4) return;
        row.eachCell((cell) => expect(typeof cell.value).toBe('string'));
      });
    }
  });

  it('writes a special invoice’s buyer, the order ids in 备注, and one detail line per order at 13%', async () => {
    const { company, workbook } = await closedBatchFile();
    const basic = workbook.getWorksheet(BASIC_SHEET);
    const detail = workbook.getWorksheet(DETAIL_SHEET);
    if (!basic || !detail) throw new Error('missing sheet');
    const header = rowValues(basic, 3, BASIC_COLUMNS.length);
    const rowOf = [4, 5].find((row) => basic.getRow(row).getCell(1).value === company.number) ?? 0;
    const cell = (name: string) => basic.getRow(rowOf).getCell(header.indexOf(name) + 1).value;

    expect(cell('发票类型')).toBe('增值税专用发票');
    expect(cell('是否含税')).toBe('是');
    expect(cell('购买方纳税人识别号')).toBe('91350100M000100Y43');
    expect(cell('购买方银行账号')).toBe('1234567890123');
    expect(cell('备注')).toBe('订单号 LS-20261116-0001,LS-20261116-0002');
    const lines = [4, 5, 6]
      .map((row) => rowValues(detail, row, DETAIL_COLUMNS.length))
      .filter((values) => values[0] === company.number);
    expect(lines.map((values) => [values[7], values[8]])).toEqual([
      ['128000.00', '0.13'],
      ['86000.00', '0.13'],
    ]);
  });

  it('marks an individual’s invoice as 普通发票 to a natural person', async () => {
    const { person, workbook } = await closedBatchFile();
    const basic = workbook.getWorksheet(BASIC_SHEET);
    if (!basic) throw new Error('missing sheet');
    const rowOf = [4, 5].find((row) => basic.getRow(row).getCell(1).value === person.number) ?? 0;

    expect(rowValues(basic, rowOf, 6)).toEqual([person.number, '普通发票', '', '是', '是', '张三']);
  });

  it('lists the whole batch on the check sheet with a total row', async () => {
    const { workbook } = await closedBatchFile();
    const check = workbook.getWorksheet(CHECK_SHEET);
    if (!check) throw new Error('missing sheet');

    expect(check.rowCount).toBe(4);
    expect(check.getRow(4).getCell(1).value).toBe('合计 Total');
    expect(check.getRow(4).getCell(7).value).toBe(223600);
  });

  it('refuses the file of a batch that has not gone to finance', async () => {
    await expect(applicationFile(app.deps, wuFang, '2026-12-10')).rejects.toMatchObject({
      code: 'BATCH_NOT_CLOSED',
    });
  });
});

describe('the tax bureau’s result recorded for a whole batch', () => {
  it('issues each row of a CSV result, rejecting a row it cannot', async () => {
    const a = await record(['LS-20261116-0001']);
    const b = await record(['LS-20261116-0002']);
    app.clock.set('2026-11-25T17:00:00+08:00');
    await closeBatch(app.deps, { entityId: zhaoMin.entityId, batchDate: '2026-11-25' });
    app.clock.set('2026-11-26T12:00:00+08:00');
    const csv = [
      '\uFEFF发票流水号,发票号码,开票日期',
      `${a.number},26352000000012345678,2026-11-26 10:12:00`,
      `${b.number},2635200000001234,2026-11-26`,
      'NOT-A-NUMBER,26352000000012345679,2026-11-26',
    ].join('\n');

    const outcome = await recordBatchResult(app.deps, wuFang, '2026-11-25', Buffer.from(csv));

    expect(outcome.issued).toEqual([{ row: 2, number: a.number, invoiceNumber: '26352000000012345678' }]);
    expect(outcome.rejected.map((row) => [row.row, row.code])).toEqual([
      [3, 'VALIDATION_FAILED'],
      [4, 'NOT_IN_BATCH'],
    ]);
    expect((await app.deps.store.invoiceRequests.get(a.id))?.invoice?.issuedOn).toBe('2026-11-26');
  });

  it('reads the same result as XLSX, told from its bytes', async () => {
    const a = await record(['LS-20261116-0001']);
    app.clock.set('2026-11-25T17:00:00+08:00');
    await closeBatch(app.deps, { entityId: zhaoMin.entityId, batchDate: '2026-11-25' });
    app.clock.set('2026-11-26T12:00:00+08:00');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('结果');
    sheet.addRow(['批量开具结果']);
    sheet.addRow(['发票流水号', '开票结果', '发票号码', '开票日期']);
    sheet.addRow([a.number, '成功', '26352000000012345678', '2026-11-26']);
    const file = Buffer.from(await workbook.xlsx.writeBuffer());

    const outcome = await recordBatchResult(app.deps, wuFang, '2026-11-25', file);

    expect(outcome.issued).toEqual([{ row: 3, number: a.number, invoiceNumber: '26352000000012345678' }]);
  });

  it('refuses a file without the three columns in both languages, recording nothing', async () => {
    const a = await record(['LS-20261116-0001']);
    app.clock.set('2026-11-25T17:00:00+08:00');
    await closeBatch(app.deps, { entityId: zhaoMin.entityId, batchDate: '2026-11-25' });
    app.clock.set('2026-11-26T12:00:00+08:00');
    const csv = `流水号,号码\n${a.number},26352000000012345678\n`;

    await expect(recordBatchResult(app.deps, wuFang, '2026-11-25', Buffer.from(csv))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/^开具结果文件需要 .+。The result file needs the columns/),
    });
    expect((await app.deps.store.invoiceRequests.get(a.id))?.status).toBe('WITH_FINANCE');
  });
});
