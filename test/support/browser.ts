/**
 * Real headless Chromium (Debian's `chromium`) driven by playwright-core. `npm test` installs the
 * package when it is missing (scripts/ensure-install.mjs); Playwright's own browser download is not
 * reachable here. playwright-core gives every launch a fresh, empty profile.
 */
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Signs in on the dev sign-in page as a demo person, as they would, and lands on the home page. */
export async function signIn(page: Page, baseUrl: string, email: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.selectOption('select[name=email]', email);
  await Promise.all([page.waitForURL(`${baseUrl}/`), page.click('main button[type=submit]')]);
}

/** A new browser context of that width with a demo person signed in, on the home page. */
export async function signedInPage(
  browser: Browser,
  baseUrl: string,
  email: string,
  width: number,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  await signIn(page, baseUrl, email);
  return { context, page };
}

/** What a person sees of the page: its width (no sideways scrolling), inline styles (none), its text. */
export const looks = (page: Page) =>
  page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    styled: document.querySelectorAll('[style]').length,
    text: document.body.innerText,
  }));
