/**
 * DNS TXT lookups, as a port (the DKIM key records a consent email is checked against): real DNS in
 * AWS; the local runtime answers its demo key itself; tests publish their own keys. Its own module so
 * a function gets it without the DKIM library.
 */
import { resolveTxt } from 'node:dns/promises';

/** TXT lookups (the DKIM key records `<selector>._domainkey.<domain>`). */
export interface DnsResolver {
  /** The record's strings, as node:dns returns them; throws an error with `code` ENOTFOUND/ENODATA when there is none. */
  resolveTxt(name: string): Promise<string[][]>;
}

export const systemDns: DnsResolver = { resolveTxt: (name) => resolveTxt(name) };

/** Thrown by resolvers that know a name has no record (mailauth then reports "no key"). */
export function noRecord(name: string): Error {
  return Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
}
