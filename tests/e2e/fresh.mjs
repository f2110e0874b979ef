// A new site in a real browser, as its operator meets it: `ponder serve` on an
// empty folder (no demo) says it has no administrator; the setup link from the
// log makes the first one, who is led to the categories and makes a two-level
// tree, renames the site in its settings, and looks over the admin pages; then a
// new member signs up by the mailed link and asks in the new category. Every
// admin page is checked with axe and kept for the Nu HTML Checker, with
// screenshots at 1280 and 375 px.
//
// Run by tests/e2e/run.sh, which starts the server; BASE_URL and SERVE_LOG name it.
import assert from 'node:assert/strict';
import { harness, launch } from './lib.mjs';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:8098';
const shots = process.env.SCREENSHOTS ?? new URL('./screenshots/', import.meta.url).pathname;
const { step, shoot, setupLink, signUp, logOut, failures } =
  harness({ base, shots, serveLog: process.env.SERVE_LOG });
const browser = await launch();

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();

  await step('the empty site says how to get an administrator', async () => {
    await page.goto(base);
    assert.match(await page.textContent('.flash.notice'), /no administrator yet/);
    await shoot(page, 'fresh-home');
  });

  await step('the setup link makes the first administrator, who is led to the categories', async () => {
    await page.goto(`${base}${setupLink()}`);
    await page.fill('#handle', 'founder');
    await page.fill('#email', 'founder@example.org');
    await page.fill('#password', 'a long password 1');
    await page.click('main button[type=submit]');
    await page.waitForLoadState();
    assert.equal(new URL(page.url()).pathname, '/admin/categories');
    assert.match(await page.textContent('.flash.notice'), /no categories yet/);
  });

  await step('they make a two-level category tree', async () => {
    await page.fill('#name', 'Crafts');
    await page.fill('#description', 'Making things by hand.');
    await page.click('main form[action="/admin/categories"] button[type=submit]');
    await page.waitForLoadState();
    await page.fill('#name', 'Masonry');
    const crafts = await page.locator('#parent option', { hasText: 'Crafts' }).first().getAttribute('value');
    await page.selectOption('#parent', crafts);
    await page.click('main form[action="/admin/categories"] button[type=submit]');
    await page.waitForLoadState();
    assert.deepEqual(
      (await page.locator('.admin-categories li > a[href^="/categories"]').allTextContents()).map((t) => t.trim()),
      ['Crafts', 'Crafts › Masonry'],
    );
    await shoot(page, 'fresh-admin-categories');
    await page.click('.admin-categories a:has-text("Edit Crafts › Masonry")');
    await page.waitForLoadState();
    await shoot(page, 'admin-category');
  });

  await step('they rename the site, in force at once', async () => {
    await page.goto(`${base}/admin/settings`);
    await page.fill('#site-name', 'Crafts Q&A');
    await page.click('#site button[type=submit]');
    await page.waitForLoadState();
    assert.match(await page.textContent('.flash.success'), /1 value changed/);
    assert.equal((await page.textContent('.brand span'))?.trim(), 'Crafts Q&A');
    assert.match(await page.textContent('#launch .flash.notice'), /Launch mode is in force/);
    await shoot(page, 'fresh-admin-settings');
    await page.goto(`${base}/admin/users`);
    await shoot(page, 'fresh-admin-users');
    await page.goto(`${base}/invitations`);
    await shoot(page, 'invitations');
    await logOut(page);
  });

  await step('a new member signs up and asks in the new category', async () => {
    await signUp(page, 'newcomer');
    await page.goto(`${base}/ask`);
    await page.fill('#title', 'How do I true the face of a sandstone block');
    await page.fill('#body', 'I have a rough sandstone block and a straightedge. How do I get one face flat enough to build on?');
    const masonry = await page.locator('#category option', { hasText: 'Masonry' }).first().getAttribute('value');
    await page.selectOption('#category', masonry);
    await page.fill('#tags', 'sandstone dressing');
    await page.click('button[name=action][value=post]');
    await page.waitForLoadState();
    assert.equal(await page.textContent('h1'), 'How do I true the face of a sandstone block');
    assert.equal(await page.locator('.breadcrumb li').count(), 3, 'Categories › Crafts › Masonry');
    assert.match(await page.title(), /Crafts Q&A$/);
    await shoot(page, 'fresh-question');
  });
} catch {
  // Reported by step().
} finally {
  await browser.close();
}
console.log(failures() === 0 ? 'e2e: the fresh site story passed' : `e2e: ${failures()} step failed`);
process.exit(failures() === 0 ? 0 : 1);
