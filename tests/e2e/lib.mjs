// What the browser stories share: a step runner that reports TAP-like lines, axe
// checks, the server's HTML kept for the Nu HTML Checker, screenshots at two
// widths and in dark mode, and the sign-up and setup links the server writes to
// its log (it sends no mail in these runs).
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Headless Debian Chromium. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** The helpers of a story against the server at `base`, whose log is `serveLog`. */
export function harness({ base, shots, serveLog }) {
  mkdirSync(shots, { recursive: true });
  let failures = 0;

  async function step(name, body) {
    try {
      await body();
      console.log(`ok - ${name}`);
    } catch (err) {
      failures += 1;
      console.log(`not ok - ${name}\n  ${String(err.stack ?? err).split('\n').join('\n  ')}`);
      throw err;
    }
  }

  // axe-core in the page (evaluated over the DevTools protocol, so the site's CSP stays
  // on): no moderate, serious or critical violation.
  async function accessible(page, name) {
    await page.evaluate(axeSource);
    const found = await page.evaluate(async () => {
      const result = await window.axe.run(document, { resultTypes: ['violations'] });
      return result.violations
        .filter((v) => v.impact !== 'minor')
        .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')})`);
    });
    assert.deepEqual(found, [], `${name}: axe finds ${found.length} violations`);
  }

  // The server's own HTML of the page, for the Nu HTML Checker that run.sh runs.
  async function keepHtml(page, name) {
    const response = await page.context().request.get(page.url());
    writeFileSync(`${shots}/${name}.html`, await response.text());
  }

  async function shoot(page, name) {
    await accessible(page, name);
    await keepHtml(page, name);
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: `${shots}/${name}-${width}.png`, fullPage: true });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${name} at ${width} px scrolls sideways by ${overflow} px`);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    // Dark mode must be as legible: the same checks, and a screenshot to look at.
    await page.emulateMedia({ colorScheme: 'dark' });
    await accessible(page, `${name} (dark)`);
    await page.screenshot({ path: `${shots}/${name}-dark-1280.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
  }

  // Waits for `selector` to read `text`, polling from here: page-side polling would need
  // eval, which the site's CSP (rightly) forbids.
  async function waitForText(page, selector, text) {
    let seen = null;
    for (let tries = 0; tries < 50; tries += 1) {
      seen = (await page.textContent(selector))?.trim();
      if (seen === text) return;
      await page.waitForTimeout(100);
    }
    assert.fail(`${selector} reads ${JSON.stringify(seen)}, not ${JSON.stringify(text)}`);
  }

  // The links the server mailed to finish sign-ups: with no SMTP configured, as in
  // the demo, it writes each mail to its log, which run.sh names in SERVE_LOG.
  function finishLinks() {
    const log = readFileSync(serveLog, 'utf8');
    return [...log.matchAll(/\/signup\/finish\?token=[A-Za-z0-9_-]+/g)].map((found) => found[0]);
  }

  // The setup link the server wrote to its log at start (the demo site has no
  // administrator).
  function setupLink() {
    const log = readFileSync(serveLog, 'utf8');
    const found = log.match(/\/setup\?token=[A-Za-z0-9_-]+/);
    assert.ok(found, 'a setup link in the server log');
    return found[0];
  }

  // Signs up, then opens the mailed link and makes the account, as a new user would.
  async function signUp(page, handle) {
    const before = finishLinks().length;
    await page.goto(`${base}/signup`);
    await accessible(page, 'signup');
    await keepHtml(page, 'signup');
    await page.fill('#handle', handle);
    await page.fill('#email', `${handle}@example.org`);
    await page.fill('#password', 'a long password 1');
    await page.click('main button[type=submit]');
    await page.waitForLoadState();
    assert.equal((await page.textContent('h1'))?.trim(), 'Check your inbox');
    let links = finishLinks();
    for (let tries = 0; links.length <= before && tries < 50; tries += 1) {
      await page.waitForTimeout(100);
      links = finishLinks();
    }
    assert.ok(links.length > before, 'the link to finish signing up was mailed');
    await page.goto(`${base}${links.at(-1)}`);
    await accessible(page, 'signup-finish');
    await keepHtml(page, 'signup-finish');
    assert.equal(await page.inputValue('#handle'), handle);
    await page.click('main button[type=submit]');
    await page.waitForLoadState();
    assert.equal((await page.textContent('header a.viewer'))?.trim(), handle);
  }

  async function logOut(page) {
    await page.click('header button:has-text("Log out")');
    await page.waitForLoadState();
    assert.equal(await page.locator('header a[href^="/login"]').count(), 1, 'a log-in link after logging out');
  }

  return {
    step, accessible, keepHtml, shoot, waitForText, finishLinks, setupLink, signUp, logOut,
    failures: () => failures,
  };
}
