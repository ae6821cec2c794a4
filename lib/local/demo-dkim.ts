/**
 * The demo mail domain's DKIM key (POLICY D6; DESIGN.md decision 15), so the travelling approver can
 * be shown end to end on one laptop: a consent email counts only with a DKIM signature of the
 * approver's own domain, and nobody controls DNS for `lianshang.example`. The local runtime therefore
 * holds that domain's key — generated once into the data folder, or the PEM file named by
 * `FUNDFLOW_DKIM_PRIVATE_KEY` — and its resolver answers the key record itself; every other name goes
 * to real DNS. `POST /api/dev/consent-email` signs a demo consent email with it.
 */
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type DkimKey, type DnsResolver, dkimKeyRecord, noRecord } from '../mail/dkim.ts';

export const DEMO_DKIM_SELECTOR = 'fundflow-demo';

/** The demo domain's key: the PEM file `keyFile` if given, else the one generated once into `dataDir`. */
export function loadDemoDkimKey(dataDir: string, domain: string, keyFile?: string): DkimKey {
  if (keyFile) {
    return { domain, selector: DEMO_DKIM_SELECTOR, privateKey: readFileSync(keyFile, 'utf8') };
  }
  const file = path.join(dataDir, 'dkim-demo-key.pem');
  if (!existsSync(file)) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600 });
  }
  return { domain, selector: DEMO_DKIM_SELECTOR, privateKey: readFileSync(file, 'utf8') };
}

/** The TXT record that publishes a key's public half. */
export function keyRecordOf(key: DkimKey): { name: string; value: string } {
  const publicKey = createPublicKey(key.privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return { name: `${key.selector}._domainkey.${key.domain}`, value: dkimKeyRecord(publicKey) };
}

/**
 * Answers for the keys it holds; for anything else under their domains "no such record" (the demo
 * domain is not in real DNS); every other name goes to `fallback` (real DNS).
 */
export class LocalDnsResolver implements DnsResolver {
  private readonly records = new Map<string, string[][]>();
  private readonly domains = new Set<string>();

  constructor(
    keys: readonly DkimKey[],
    private readonly fallback: DnsResolver,
  ) {
    for (const key of keys) {
      const record = keyRecordOf(key);
      this.records.set(record.name.toLowerCase(), [[record.value]]);
      this.domains.add(key.domain.toLowerCase());
    }
  }

  async resolveTxt(name: string): Promise<string[][]> {
    const lower = name.toLowerCase();
    const record = this.records.get(lower);
    if (record) return record;
    if ([...this.domains].some((domain) => lower === domain || lower.endsWith(`.${domain}`))) {
      throw noRecord(name);
    }
    return this.fallback.resolveTxt(name);
  }
}

const encodedWord = (text: string) => `=?UTF-8?B?${Buffer.from(text).toString('base64')}?=`;

/**
 * A consent email as the approver would write it (unsigned): from them, naming the voucher, the
 * payee and the amount — or the demo user's own `text`.
 */
export function demoConsentEmail(input: {
  approver: { email: string; name: string };
  voucher: { id: string; payee: { name: string }; amountFen: number };
  amount: string;
  text?: string | undefined;
  now: Date;
  messageId: string;
}): Buffer {
  const { approver, voucher } = input;
  const domain = approver.email.slice(approver.email.lastIndexOf('@') + 1);
  const body =
    input.text ??
    [
      `我同意支付付款凭单 ${voucher.id}：¥${input.amount}，收款人 ${voucher.payee.name}。`,
      `I approve payment voucher ${voucher.id}: ¥${input.amount} to ${voucher.payee.name}.`,
      '',
      approver.name,
    ].join('\n');
  return Buffer.from(
    [
      `From: ${encodedWord(approver.name)} <${approver.email}>`,
      `To: fundflow <fundflow@${domain}>`,
      `Subject: ${encodedWord(`同意付款 Consent: ${voucher.id}`)}`,
      `Date: ${input.now.toUTCString()}`,
      `Message-ID: <${input.messageId}@${domain}>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      ...body.split(/\r?\n/),
      '',
    ].join('\r\n'),
  );
}
