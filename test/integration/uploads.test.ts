/**
 * Uploaded files and the voucher's limits on DynamoDB Local: a file is what its bytes are, checked
 * before anything is stored (through the pages) or when it is cited (a PUT straight to the bucket);
 * a voucher cites a bounded number of files, each once, and has a bounded number of versions.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { decide } from '../../lib/approvals/decide.ts';
import type { Person } from '../../lib/domain/model.ts';
import { DEFAULT_POLICY } from '../../lib/domain/policy.ts';
import { MAX_VOUCHERS_PER_SUPPLIER_DAY } from '../../lib/platform/store.ts';
import { createDocumentClient } from '../../lib/storage/dynamo-client.ts';
import { keys } from '../../lib/storage/keys.ts';
import { createUpload, storeUploadedFile, type UploadPurpose } from '../../lib/uploads/create-upload.ts';
import { assertStoredFile, downloadUrl } from '../../lib/uploads/stored-files.ts';
import { resubmitVoucher, submitVoucher } from '../../lib/vouchers/submit-voucher.ts';
import { type TestApp, testApp, voucherInput } from '../support/app.ts';
import {
  EINVOICE_XML,
  TINY_GIF,
  TINY_JPEG,
  TINY_OFD,
  TINY_PDF,
  TINY_PNG,
  TINY_WEBP,
  XHTML_WITH_SCRIPT,
} from '../support/files.ts';

let app: TestApp;
let liNa: Person;

beforeEach(async () => {
  app = await testApp();
  liNa = app.person('li.na');
});

/** As over the API: ask for an upload declaring a type, then PUT any bytes (the bucket takes them). */
async function putToBucket(
  owner: Person,
  declared: string,
  body: Buffer,
  purpose: UploadPurpose = 'evidence',
): Promise<string> {
  const { key } = await createUpload(app.deps, owner, {
    fileName: 'file',
    contentType: declared,
    size: body.length,
    purpose,
  });
  await app.deps.evidence.put({ key, contentType: declared, body });
  return key;
}

const submitWith = async (evidence: string[]) =>
  submitVoucher(app.deps, liNa, await voucherInput(app, liNa, { evidence }));

async function nothingWritten() {
  expect((await app.deps.store.vouchers.listByApplicant(liNa.email, { limit: 10 })).items).toEqual([]);
  expect((await app.deps.store.orders.get('LS-20261116-0001'))?.claimedFen).toBe(0);
}

describe('evidence cited after a PUT to the bucket, judged by its bytes (DESIGN.md decision 15)', () => {
  it.each(['image/png', 'application/pdf', 'image/gif'])(
    'refuses the probe’s XHTML declared as %s, and writes nothing',
    async (declared) => {
      const key = await putToBucket(liNa, declared, XHTML_WITH_SCRIPT);

      await expect(submitWith([key])).rejects.toMatchObject({
        code: 'EVIDENCE_INVALID',
        issues: [{ path: 'evidence.0', message: expect.stringContaining('not an image') }],
      });
      await nothingWritten();
    },
  );

  it('refuses a real PDF declared as a PNG: the declared type must be what the bytes are', async () => {
    const key = await putToBucket(liNa, 'image/png', TINY_PDF);

    await expect(submitWith([key])).rejects.toMatchObject({
      code: 'EVIDENCE_INVALID',
      issues: [{ path: 'evidence.0', message: expect.stringContaining('application/pdf') }],
    });
    await nothingWritten();
  });

  it('accepts a PNG, a JPEG, a WebP, a GIF and a PDF, each declared as what it is', async () => {
    const evidence = [
      await putToBucket(liNa, 'image/png', TINY_PNG),
      await putToBucket(liNa, 'image/jpeg', TINY_JPEG),
      await putToBucket(liNa, 'image/webp', TINY_WEBP),
      await putToBucket(liNa, 'image/gif', TINY_GIF),
      await putToBucket(liNa, 'application/pdf', TINY_PDF),
    ];

    const { voucher } = await submitWith(evidence);

    expect(voucher.evidence).toEqual(evidence);
  });
});

describe('a file sent through the pages, checked before anything is stored', () => {
  it('refuses the probe’s XHTML as an invoice copy, whatever it is declared as, storing nothing', async () => {
    const created = vi.spyOn(app.deps.store.uploads, 'create');
    const put = vi.spyOn(app.deps.evidence, 'put');

    for (const declared of ['application/xml', 'text/xml', 'application/pdf', 'image/png']) {
      await expect(
        storeUploadedFile(app.deps, liNa, {
          fileName: 'invoice.xml',
          contentType: declared,
          body: XHTML_WITH_SCRIPT,
          purpose: 'supplier-invoice',
        }),
      ).rejects.toMatchObject({ code: 'INVOICE_FILE_INVALID', issues: [{ path: 'file' }] });
    }
    expect(created).not.toHaveBeenCalled();
    expect(put).not.toHaveBeenCalled();
  });

  it('stores a file as the type its bytes are', async () => {
    const key = await storeUploadedFile(app.deps, liNa, {
      fileName: 'invoice.xml',
      contentType: 'text/xml',
      body: EINVOICE_XML,
      purpose: 'supplier-invoice',
    });

    expect(await app.deps.evidence.head(key)).toMatchObject({ contentType: 'application/xml' });
  });
});

describe('invoice copies cited after a PUT to the bucket', () => {
  const policy = DEFAULT_POLICY;
  const cite = (key: string, declared: string) =>
    assertStoredFile(app.deps, policy, 'supplier-invoice', { key, path: 'file', fileName: 'f', declared });

  it('takes a fully digital invoice’s XML and an OFD', async () => {
    const xml = await putToBucket(liNa, 'application/xml', EINVOICE_XML, 'supplier-invoice');
    const ofd = await putToBucket(liNa, 'application/ofd', TINY_OFD, 'supplier-invoice');

    expect((await cite(xml, 'application/xml')).contentType).toBe('application/xml');
    expect((await cite(ofd, 'application/ofd')).contentType).toBe('application/ofd');
  });

  it('refuses the probe’s XHTML declared as XML, judged on the whole file when it is large', async () => {
    // An invoice-looking start, the XHTML well past the first 64 KiB a ranged read looks at.
    const padded = Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?><EInvoice><Note>${'x'.repeat(70_000)}</Note><p xmlns="http://www.w3.org/1999/xhtml"><script>1</script></p></EInvoice>`,
    );
    const key = await putToBucket(liNa, 'application/xml', padded, 'supplier-invoice');

    await expect(cite(key, 'application/xml')).rejects.toMatchObject({ code: 'INVOICE_FILE_INVALID' });
  });
});

describe('serving a stored file', () => {
  it('signs the type its bytes are into the download URL, never the declared one', async () => {
    const key = await putToBucket(liNa, 'image/png', XHTML_WITH_SCRIPT);

    const url = new URL((await downloadUrl(app.deps, key)) ?? '');

    expect(url.searchParams.get('response-content-type')).toBe('application/octet-stream');
    expect(url.searchParams.get('response-content-disposition')).toMatch(/^attachment; filename="file\.bin"/);
  });

  it('has no URL for a key nothing was uploaded under', async () => {
    expect(await downloadUrl(app.deps, 'evidence/2026-11-18/01KAAAAAAAAAAAAAAAAAAAAAAA/none.png')).toBeNull();
  });
});

describe('the evidence list of a voucher (POLICY 2.1(2))', () => {
  it('refuses more files than the policy allows (10), before reading any', async () => {
    const evidence = await Promise.all(Array.from({ length: 11 }, () => app.upload(liNa)));

    await expect(submitWith(evidence)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      issues: [{ path: 'evidence', message: '最多 10 个文件 at most 10 files' }],
    });
    await nothingWritten();
  });

  it('refuses a file cited twice, naming the repeat', async () => {
    const first = await app.upload(liNa);
    const second = await app.upload(liNa);

    await expect(submitWith([first, second, first])).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      issues: [{ path: 'evidence.2', message: `${first} 引用了两次 is cited twice` }],
    });
    await nothingWritten();
  });

  it('takes as many files as a policy version allows, fewer than the ceiling (D17)', async () => {
    await app.deps.store.settings.addPolicyVersion(liNa.entityId, {
      ...DEFAULT_POLICY,
      version: 2,
      maxEvidencePerVoucher: 2,
    });
    const three = await Promise.all(Array.from({ length: 3 }, () => app.upload(liNa)));

    await expect(submitWith(three)).rejects.toMatchObject({ issues: [{ path: 'evidence' }] });
    await expect(submitWith(three.slice(0, 2))).resolves.toMatchObject({ replayed: false });
  });

  it('never stores a policy version above the ceilings the voucher item is sized for', async () => {
    await expect(
      app.deps.store.settings.addPolicyVersion(liNa.entityId, {
        ...DEFAULT_POLICY,
        version: 2,
        maxEvidencePerVoucher: 1000,
      }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED', issues: [{ path: 'maxEvidencePerVoucher' }] });
    expect((await app.deps.store.settings.currentPolicy(liNa.entityId, app.deps.clock.now())).version).toBe(
      1,
    );
  });
});

describe('the versions of a voucher (POLICY D19)', () => {
  async function rejectCurrentVersion() {
    await app.engine.settled();
    const link = app.outbox
      .list()
      .filter((message) => message.to.includes('wang.qiang@lianshang.example'))
      .at(-1)
      ?.links.find((candidate) => candidate.includes('/approvals/'));
    await decide(app.deps, link?.split('/approvals/')[1] ?? '', { decision: 'REJECT', reason: '金额不符' });
    await app.engine.settled();
  }

  it('refuses an edit beyond the policy’s number of versions: a new voucher instead', async () => {
    await app.deps.store.settings.addPolicyVersion(liNa.entityId, {
      ...DEFAULT_POLICY,
      version: 2,
      maxVersionsPerVoucher: 2,
    });
    const { voucher } = await submitVoucher(app.deps, liNa, await voucherInput(app, liNa));
    await rejectCurrentVersion();
    await resubmitVoucher(app.deps, liNa, voucher.id, await voucherInput(app, liNa));
    await rejectCurrentVersion();

    await expect(
      resubmitVoucher(app.deps, liNa, voucher.id, await voucherInput(app, liNa)),
    ).rejects.toMatchObject({ code: 'TOO_MANY_VERSIONS', statusCode: 422 });
    expect(await app.deps.store.vouchers.get(voucher.id)).toMatchObject({ version: 2, status: 'REJECTED' });
    // Its orders are free again: a new voucher for them goes in.
    await expect(submitVoucher(app.deps, liNa, await voucherInput(app, liNa))).resolves.toMatchObject({
      voucher: { version: 1 },
    });
  });
});

describe('the vouchers of one supplier on one day (POLICY D2)', () => {
  it('refuses one more than the supplier-day item holds, and writes nothing', async () => {
    const client = createDocumentClient({ region: 'local', endpoint: inject('dynamoEndpoint') });
    await client.send(
      new PutCommand({
        TableName: app.tableName,
        Item: {
          ...keys.supplierDay('SUP-HZ-TEXTILE', '2026-11-18'),
          supplierId: 'SUP-HZ-TEXTILE',
          day: '2026-11-18',
          version: 1,
          vouchers: Object.fromEntries(
            Array.from({ length: MAX_VOUCHERS_PER_SUPPLIER_DAY }, (_, i) => [
              `01K${String(i).padStart(23, '0')}`,
              { amountFen: 1, status: 'REJECTED' },
            ]),
          ),
        },
      }),
    );

    await expect(submitWith([await app.upload(liNa)])).rejects.toMatchObject({ code: 'SUPPLIER_DAY_FULL' });
    await nothingWritten();
    client.destroy();
  });

  it('keeps only the amount and status of each voucher in the day’s item', async () => {
    const { voucher } = await submitWith([await app.upload(liNa)]);

    expect((await app.deps.store.vouchers.supplierDay('SUP-HZ-TEXTILE', '2026-11-18'))?.vouchers).toEqual({
      [voucher.id]: { amountFen: 1_000_000, status: 'SUBMITTED' },
    });
  });
});
