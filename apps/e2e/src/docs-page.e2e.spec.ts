import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { chromiumAvailable, launchChromium } from './browser';
import { startStack, type StartedStack } from './stack';

const withChromium = chromiumAvailable();
if (!withChromium)
  process.stdout.write(
    'docs page: /usr/bin/chromium is not installed here, so the browser test was SKIPPED (CI requires it: apt-get install chromium)\n',
  );

/** The documentation page of `npm start`, in a real browser, as a client developer would use it. */
(withChromium ? describe : describe.skip)('the docs page on the local ALB, in Chromium', () => {
  let stack: StartedStack;
  let browser: BrowserContext;
  let page: Page;
  const elsewhere: string[] = [];
  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
    page = browser.pages()[0] ?? (await browser.newPage());
    // Offline by design: every request the page makes must go to the ALB it came from.
    page.on('request', (req) => {
      if (!req.url().startsWith(stack.baseUrl) && !req.url().startsWith('data:')) elsewhere.push(req.url());
    });
  }, 60000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('when /docs is opened, then the users, threads and posts APIs are listed and nothing is fetched from another origin', async () => {
    await page.goto(`${stack.baseUrl}/docs`);
    const options = page.locator('.topbar select option');
    await options.first().waitFor({ state: 'attached' });
    expect(await options.allTextContents()).toEqual(['users', 'threads', 'posts']);
    await page.locator('.opblock-summary-path', { hasText: '/api/users/session' }).first().waitFor();
    expect(elsewhere).toEqual([]);
  });

  it('when a signed-in user tries POST /api/threads from the page, then the ALB answers 201 with the new thread', async () => {
    const session = await fetch(`${stack.baseUrl}/api/users/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'finn', password: 'forum-demo-password' }),
    });
    const { accessToken } = (await session.json()) as { accessToken: string };
    await page.locator('.topbar select').selectOption('threads');
    await page.locator('button.authorize').click();
    await page.locator('.auth-container input').fill(accessToken);
    await page.locator('.auth-btn-wrapper button.authorize').click();
    await page.locator('button.btn-done').click();

    const operation = page.locator('#operations-threads-postApiThreads');
    await operation.locator('.opblock-summary').click();
    await operation.locator('button.try-out__btn').click();
    await operation.locator('textarea.body-param__text').fill(JSON.stringify({ title: 'Posted from the docs page' }));
    await operation.locator('button.execute').click();
    const answer = operation.locator('.live-responses-table .response');
    await answer.first().waitFor();
    expect((await answer.locator('.response-col_status').first().textContent())?.trim()).toBe('201');
    expect(await answer.locator('.response-col_description').first().textContent()).toContain('"title": "Posted from the docs page"');
    expect(await answer.locator('.response-col_description').first().textContent()).toContain('"authorId": 2');

    const folder = mkdtempSync(join(tmpdir(), 'forum-docs-page-'));
    await page.screenshot({ path: join(folder, 'docs-page.png'), fullPage: true });
    process.stdout.write(`docs page: screenshot saved in ${folder}/docs-page.png\n`);
    expect(elsewhere).toEqual([]);
  });
});
