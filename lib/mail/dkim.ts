/**
 * DKIM (RFC 6376) with mailauth: verifying a consent email (POLICY D6; DESIGN.md decision 15) and, for
 * the local runtime's demo, signing one. The public keys come from DNS through the `DnsResolver` port:
 * real DNS in AWS, the local runtime's demo key plus real DNS locally, a test key in tests. What the
 * verification found goes to the pure rules of lib/domain/consent-email.ts as a `DkimReport`.
 */
import type { DkimReport } from '../domain/consent-email.ts';
import { type DnsResolver, noRecord } from './dns.ts';

export { type DnsResolver, noRecord, systemDns } from './dns.ts';

/** A DKIM key a signer holds: the private key (PEM) of `<selector>._domainkey.<domain>`. */
export interface DkimKey {
  domain: string;
  selector: string;
  privateKey: string;
}

/** The TXT record that publishes a public key (PEM, SPKI). */
export function dkimKeyRecord(publicKeyPem: string): string {
  const base64 = publicKeyPem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
  return `v=DKIM1; k=rsa; p=${base64}`;
}

/** Verifies every DKIM signature of a raw message, judged at `now` (expiry), keys from `dns`. */
export async function verifyDkim(raw: Buffer, dns: DnsResolver, now: Date): Promise<DkimReport> {
  // mailauth (with its MIME and domain libraries, about a megabyte) loads when an email is checked,
  // not at every cold start of the functions that can check one.
  const { dkimVerify } = await import('mailauth/lib/dkim/verify.js');
  const verified = await dkimVerify(raw, {
    resolver: async (name: string, type: string) => {
      if (type !== 'TXT') throw noRecord(name);
      return dns.resolveTxt(name);
    },
    curTime: now,
    // RFC 8301: rsa-sha1 is broken; such a signature proves nothing.
    rejectRsaSha1: true,
  });
  const headerCounts: Record<string, number> = {};
  for (const header of verified.headers?.parsed ?? []) {
    headerCounts[header.key] = (headerCounts[header.key] ?? 0) + 1;
  }
  return {
    fromAddresses: verified.headerFrom,
    fromFields: verified.fromFields,
    headerCounts,
    // mailauth reports an unsigned message as one result `none`: that is no signature at all.
    signatures: verified.results
      .filter((result) => result.status.result !== 'none')
      .map((result) => ({
        id: result.id ?? '',
        domain: result.signingDomain ?? '',
        result: result.status.result,
        comment: result.status.comment,
        signedHeaders: (result.signingHeaders?.keys ?? '')
          .split(':')
          .map((name) => name.trim().toLowerCase())
          .filter((name) => name !== ''),
        bodyLengthLimited: result.canonBodyLengthLimited === true,
        unsignedBodyBytes: result.status.underSized ?? 0,
        testing: result.status.testing === true,
      })),
  };
}

/** Signs a message with `key` (relaxed/relaxed, rsa-sha256, mailauth's default header list). */
export async function signDkim(raw: Buffer, key: DkimKey, now: Date): Promise<Buffer> {
  const { dkimSign } = await import('mailauth/lib/dkim/sign.js');
  const signer = { signingDomain: key.domain, selector: key.selector, privateKey: key.privateKey };
  // mailauth signs what `signatureData` lists; its typings also ask for the same fields at the top.
  const signed = await dkimSign(raw, { ...signer, signatureData: [signer], signTime: now });
  if (signed.errors.length > 0 || signed.signatures === '') {
    throw new Error(`DKIM signing failed: ${signed.errors.map((error) => error.err.message).join('; ')}`);
  }
  return Buffer.concat([Buffer.from(signed.signatures), raw]);
}
