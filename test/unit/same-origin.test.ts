import { describe, expect, it } from 'vitest';
import { crossSiteProblem } from '../../lib/http/same-origin.ts';

const APP = 'https://fundflow.example';

describe('forms sent from another site', () => {
  it.each([
    ['neither header (curl, an old browser)', {}, true],
    [
      'Sec-Fetch-Site: same-origin and the app’s own Origin',
      { 'sec-fetch-site': 'same-origin', origin: APP },
      true,
    ],
    ['Sec-Fetch-Site: none (the person themselves)', { 'sec-fetch-site': 'none' }, true],
    ['the app’s Origin however it is cased in the base URL', { origin: APP }, true],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }, false],
    ['Sec-Fetch-Site: same-site (a sibling subdomain)', { 'sec-fetch-site': 'same-site' }, false],
    ['another Origin', { origin: 'https://evil.example' }, false],
    ['the app’s host over http', { origin: 'http://fundflow.example' }, false],
    ['the app’s host on another port', { origin: 'https://fundflow.example:8443' }, false],
    ['Origin: null', { origin: 'null' }, false],
    [
      'the right Origin but Sec-Fetch-Site: cross-site',
      { origin: APP, 'sec-fetch-site': 'cross-site' },
      false,
    ],
  ])('judges a form with %s', (_, headers, passes) => {
    expect(crossSiteProblem(headers, 'https://FundFlow.example/') === null).toBe(passes);
  });

  it('lets Sec-Fetch-Site decide on Origin: null where the page’s own policy sends null (link pages)', () => {
    const link = { nullOrigin: 'unknown' } as const;

    expect(crossSiteProblem({ origin: 'null', 'sec-fetch-site': 'same-origin' }, APP, link)).toBeNull();
    expect(crossSiteProblem({ origin: 'null', 'sec-fetch-site': 'cross-site' }, APP, link)).not.toBeNull();
  });

  it('refuses every Origin when no public base URL is configured', () => {
    expect(crossSiteProblem({ origin: APP }, '')).not.toBeNull();
    expect(crossSiteProblem({}, '')).toBeNull();
  });
});
