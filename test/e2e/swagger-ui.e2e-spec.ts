/**
 * Opens the Swagger UI in headless Chromium (Debian's package) and checks the operations are listed. Without a
 * browser on the machine the test prints a notice and is skipped.
 */
import { existsSync } from 'node:fs';
import { loadOpenApi, operations } from '../helpers/openapi';
import { createTestApp, TestApp } from '../helpers/test-app';

const CHROMIUM = '/usr/bin/chromium';
const haveBrowser = existsSync(CHROMIUM);
if (!haveBrowser) process.stdout.write(`\n[swagger-ui] ${CHROMIUM} not found: the browser test is skipped (CI installs Debian's chromium)\n`);

(haveBrowser ? describe : describe.skip)('Swagger UI at /api/docs', () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await createTestApp();
    base = await t.listen();
  });
  afterAll(() => t.close());

  it('lists every operation and every security scheme', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${base}/api/docs`, { waitUntil: 'networkidle' });
      await page.waitForSelector('.opblock', { timeout: 20_000 });
      // the UI renders operations as they scroll into view: scroll to the end, collecting what is shown
      const listed = new Set<string>();
      const sections: string[] = [];
      for (let i = 0; i < 400; i++) {
        const shown = await page.$$eval('.opblock', (els) =>
          els.map((e) => {
            const method = e.querySelector('.opblock-summary-method')?.textContent?.trim().toLowerCase() ?? '';
            const path = e.querySelector('.opblock-summary-path')?.getAttribute('data-path') ?? '';
            return `${method} ${path.replace(/\u200b/g, '').trim()}`;
          }),
        );
        const before = listed.size;
        shown.forEach((s) => listed.add(s));
        // tag sections, in the order the page shows them
        for (const tag of await page.$$eval('.opblock-tag', (els) => els.map((e) => e.getAttribute('data-tag') ?? ''))) {
          if (!sections.includes(tag)) sections.push(tag);
        }
        const atEnd = await page.evaluate(() => {
          window.scrollBy(0, window.innerHeight);
          return window.innerHeight + window.scrollY >= document.body.scrollHeight - 2;
        });
        if (atEnd && listed.size === before) break;
        await page.waitForTimeout(50);
      }
      // sections by consumer family, in the document's order: GitLab Shell and Gitaly first, admin fixtures last
      expect(sections).toEqual(loadOpenApi().tags.map((tag) => tag.name));
      expect(sections[0]).toBe('GitLab Shell and Gitaly: git access');
      expect(sections.slice(sections.findIndex((s) => s.startsWith('Admin:'))).every((s) => s.startsWith('Admin:'))).toBe(true);
      const expected = operations().map((op) => `${op.method} ${op.path}`);
      expect(expected.filter((op) => !listed.has(op))).toEqual([]);
      await page.click('.btn.authorize');
      const dialog = await page.textContent('.dialog-ux');
      for (const scheme of ['shell-jwt', 'kas-jwt', 'admin-token']) expect(dialog).toContain(scheme);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
