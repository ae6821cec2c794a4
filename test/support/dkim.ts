/**
 * DKIM for tests (POLICY D6): keys of our own, published through a resolver of our own — the same
 * port AWS answers from real DNS — and messages signed with mailauth's own signer, as a mail server
 * would sign them.
 */
import { generateKeyPairSync } from 'node:crypto';
import { dkimSign } from 'mailauth/lib/dkim/sign.js';
import { keyRecordOf } from '../../lib/local/demo-dkim.ts';
import { type DkimKey, type DnsResolver, noRecord } from '../../lib/mail/dkim.ts';

const generated = new Map<string, DkimKey>();

/** A key for `domain` (one per domain and selector for the whole test process: RSA keys are slow to make). */
export function testKey(domain: string, selector = 'test'): DkimKey {
  const id = `${selector}._domainkey.${domain}`;
  let key = generated.get(id);
  if (!key) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    key = { domain, selector, privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
    generated.set(id, key);
  }
  return key;
}

/** DNS as the tests publish it: the keys given, and nothing else. */
export class TestDns implements DnsResolver {
  private readonly records = new Map<string, string[][]>();

  publish(key: DkimKey, value = keyRecordOf(key).value): this {
    this.records.set(keyRecordOf(key).name.toLowerCase(), [[value]]);
    return this;
  }

  async resolveTxt(name: string): Promise<string[][]> {
    const record = this.records.get(name.toLowerCase());
    if (!record) throw noRecord(name);
    return record;
  }
}

/** A plain-text email as a mail client writes it (CRLF, UTF-8 body). */
export function eml(input: {
  from: string;
  body: string;
  to?: string;
  subject?: string;
  extraHeaders?: string[];
}): Buffer {
  return Buffer.from(
    [
      `From: ${input.from}`,
      `To: ${input.to ?? 'sun.hao@lianshang.example'}`,
      `Subject: ${input.subject ?? 'Re: 付款审批'}`,
      'Date: Wed, 18 Nov 2026 01:30:00 +0000',
      'Message-ID: <consent-test@lianshang.example>',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      ...(input.extraHeaders ?? []),
      '',
      ...input.body.split('\n'),
      '',
    ].join('\r\n'),
  );
}

/** The message with a DKIM-Signature of `key` in front (mailauth's signer; options as a server sets them). */
export async function signed(
  message: Buffer,
  key: DkimKey,
  options: { maxBodyLength?: number; headerList?: string[]; signTime?: Date } = {},
): Promise<Buffer> {
  const signer = {
    signingDomain: key.domain,
    selector: key.selector,
    privateKey: key.privateKey,
    ...(options.maxBodyLength === undefined ? {} : { maxBodyLength: options.maxBodyLength }),
  };
  const result = await dkimSign(message, {
    ...signer,
    signatureData: [signer],
    ...(options.headerList ? { headerList: options.headerList } : {}),
    signTime: options.signTime ?? new Date('2026-11-18T01:30:00Z'),
  });
  if (result.errors.length > 0) throw new Error(result.errors.map((error) => error.err.message).join('; '));
  return Buffer.concat([Buffer.from(result.signatures), message]);
}
