/**
 * What `npm start` prints once the runtime is up: where to sign in (the picker starts on the
 * merchandiser, where a voucher starts), where the emails are (the dev outbox: the approval links), the
 * dev clock and what it decides (POLICY 2.2(3), D3), and a demo voucher that passes every check — the
 * same as README's quick start.
 */
import type { Person } from '../domain/model.ts';

export function startBanner(options: { url: string; dataDir: string; people: readonly Person[] }): string {
  const { url, dataDir, people } = options;
  const merchandiser = people.find((person) => person.roles.includes('MERCHANDISER'));
  return `
fundflow is running at ${url}  (data in ${dataDir})

  Sign in:        ${url}/login   (the picker starts on the merchandiser${merchandiser ? ` ${merchandiser.name}` : ''})
  Emails:         ${url}/dev/outbox   (every email "sent": the approval links are there)
  Dev clock:      ${url}/api/dev/clock   (approved by finance review after 12:00 Asia/Shanghai: paid the next working day;
                  move it: curl -s -X POST ${url}/api/dev/clock -H 'content-type: application/json' -d '{"now":"2026-11-19T09:00:00+08:00"}')
  Health:         ${url}/health
  API sign-in:    curl -s -X POST ${url}/api/dev/login -H 'content-type: application/json' -d '{"email":"li.na@lianshang.example"}'
  Consent email:  curl -s -X POST ${url}/api/dev/consent-email -H 'content-type: application/json' -d '{"approver":"wang.qiang@lianshang.example","voucherId":"<id>"}' -o consent.eml

A voucher that passes every check: supplier 杭州织锦服饰有限公司 (SUP-HZ-TEXTILE), the payee as filled in,
order LS-20261116-0001, amount 10,000.00, goods 秋冬女装, any PNG/JPEG/PDF as the screenshot.

Demo people: ${people.map((person) => `${person.email} (${person.roles.join('/')})`).join(', ')}
`;
}
