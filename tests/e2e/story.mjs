// The whole story in a real browser: the operator makes the first administrator
// by the setup link and a category and changes a site setting, two people sign up (each by the link the
// server mails), one asks in a two-level
// category, the other answers, both comment, they vote, the asker accepts, an edit
// shows in the history, search finds the question, and they log out. Every step
// checks what the page shows. Screenshots of the main pages at 1280 and 375 px go
// to $SCREENSHOTS (default tests/e2e/screenshots).
//
// Run by tests/e2e/run.sh, which starts the server; BASE_URL names it.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { harness, launch } from './lib.mjs';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:8097';
const shots = process.env.SCREENSHOTS ?? new URL('./screenshots/', import.meta.url).pathname;
const { step, shoot, waitForText, setupLink, signUp, logOut, failures } =
  harness({ base, shots, serveLog: process.env.SERVE_LOG });
const browser = await launch();

const stamp = Date.now().toString(36);
const title = `How did medieval masons square their stones ${stamp}`;

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const asker = `asker${stamp}`;
  const answerer = `helper${stamp}`;
  let questionUrl = '';

  await step('the home page lists questions', async () => {
    await page.goto(base);
    assert.ok(await page.locator('.question-row').count() > 0);
    await shoot(page, 'home');
  });

  await step('the operator makes the first administrator, then a category', async () => {
    await page.goto(`${base}${setupLink()}`);
    await shoot(page, 'setup');
    await page.fill('#handle', `root${stamp}`);
    await page.fill('#email', `root${stamp}@example.org`);
    await page.fill('#password', 'a long password 1');
    await page.click('main button[type=submit]');
    await page.waitForLoadState();
    assert.equal((await page.textContent('header a.viewer'))?.trim(), `root${stamp}`);
    await page.goto(`${base}/admin/categories`);
    await shoot(page, 'admin-categories');
    const name = `Story ${stamp}`;
    await page.fill('#name', name);
    const parent = await page.locator('#parent option').nth(1).getAttribute('value');
    await page.selectOption('#parent', parent);
    await page.click('main form[action="/admin/categories"] button[type=submit]');
    await page.waitForLoadState();
    assert.ok((await page.textContent('.flash.success'))?.includes(name));
    assert.equal(await page.locator('.admin-categories li > a[href^="/categories"]', { hasText: name }).count(), 1);
    await page.goto(`${base}/admin/users?q=root${stamp}`);
    await shoot(page, 'admin-users');
    assert.equal((await page.textContent('tbody td:nth-child(2)'))?.trim(), `@root${stamp}`);
    await logOut(page);
  });

  await step('the administrator changes a site setting, in force at once', async () => {
    await page.goto(`${base}/login`);
    await page.fill('#login', `root${stamp}`);
    await page.fill('#password', 'a long password 1');
    await page.click('main button[type=submit]');
    await page.waitForLoadState();
    await page.goto(`${base}/admin/settings`);
    await shoot(page, 'admin-settings');
    const tagline = `Questions about old crafts (${stamp})`;
    await page.fill('#site-tagline', tagline);
    await page.fill('#site-welcome', 'Welcome! Ask about **masonry**, joinery and other old crafts.');
    await page.click('#site button[type=submit]');
    await page.waitForLoadState();
    assert.match(await page.textContent('.flash.success'), /2 values changed/);
    // Math on, and images from the first reputation point, for the answer below.
    await page.selectOption('#writing-math', 'on');
    await page.fill('#writing-upload_reputation', '1');
    await page.click('#writing button[type=submit]');
    await page.waitForLoadState();
    assert.match(await page.textContent('.flash.success'), /2 values changed/);
    // A webhook to a private address is refused, with the message beside the field.
    await page.goto(`${base}/admin/webhooks`);
    await page.fill('#url', 'http://127.0.0.1:9/hook');
    await page.check('input[name="question.created"]');
    await page.click('main form[action="/admin/webhooks"] button[type=submit]');
    await page.waitForLoadState();
    assert.match(await page.textContent('#url-error'), /not a public address/);
    assert.equal(await page.inputValue('#url'), 'http://127.0.0.1:9/hook');
    assert.ok(await page.isChecked('input[name="question.created"]'));
    await shoot(page, 'admin-webhooks');
    await logOut(page);
    await page.goto(base);
    assert.equal((await page.textContent('.tagline'))?.trim(), tagline);
    assert.match(await page.textContent('.welcome'), /masonry/);
  });

  await step('the first user signs up', () => signUp(page, asker));

  await step('they ask in a two-level category', async () => {
    await page.goto(`${base}/ask`);
    await shoot(page, 'ask');
    await page.fill('#title', title);
    await page.fill('#body', 'Without power tools, how did masons get flat faces and true right angles? I mean **cathedral** work.');
    const nested = await page.locator('#category option', { hasText: '›' }).first().getAttribute('value');
    await page.selectOption('#category', nested);
    await page.fill('#tags', 'masonry history');
    await page.click('button[name=action][value=post]');
    await page.waitForLoadState();
    assert.equal(await page.textContent('h1'), title);
    assert.equal(await page.locator('.breadcrumb li').count(), 3, 'Categories › parent › child');
    questionUrl = page.url();
  });

  await step('they log out and the second user signs up', async () => {
    await logOut(page);
    await signUp(page, answerer);
  });

  await step('the second user writes an answer with the editor: a bold word, code, math and a pasted image', async () => {
    await page.goto(questionUrl);
    const text = 'They used a straightedge, winding sticks and a mason\'s square, checking each face against the others.\n\n```python\nsquare = all(abs(a - 90) < 0.5 for a in angles)\n```\n\nThe diagonal of a unit square is $\\sqrt{2}$.\n\n';
    await page.fill('#answer-body', text);
    // Select "straightedge" and press the toolbar's Bold button.
    const word = 'straightedge';
    const at = text.indexOf(word);
    await page.evaluate(([from, to]) => {
      const area = document.querySelector('#answer-body');
      area.focus();
      area.setSelectionRange(from, to);
    }, [at, at + word.length]);
    await page.click('.editor-toolbar button.editor-bold');
    assert.ok((await page.inputValue('#answer-body')).includes(`**${word}**`));
    // Paste a picture at the end: it uploads and its Markdown replaces the placeholder.
    await page.evaluate(async () => {
      const area = document.querySelector('#answer-body');
      const canvas = document.createElement('canvas');
      canvas.width = 60;
      canvas.height = 40;
      const ctx = canvas.getContext('2d');
      ctx.fillStyle = '#b33';
      ctx.fillRect(0, 0, 60, 40);
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
      const data = new DataTransfer();
      data.items.add(new File([blob], 'red square.png', { type: 'image/png' }));
      area.focus();
      area.setSelectionRange(area.value.length, area.value.length);
      area.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    });
    let value = '';
    for (let i = 0; i < 50 && !/!\[red square\]\(\/uploads\/[0-9a-f]{64}\.png\)/.test(value); i++) {
      await page.waitForTimeout(100);
      value = await page.inputValue('#answer-body');
    }
    assert.match(value, /!\[red square\]\(\/uploads\/[0-9a-f]{64}\.png\)/, value);
    // The live preview is the server's HTML: the image, the highlighted code, the formula.
    const preview = page.locator('#answer-live-preview');
    for (let i = 0; i < 50 && await preview.locator('img[src^="/uploads/"]').count() === 0; i++) {
      await page.waitForTimeout(100);
    }
    assert.equal(await preview.locator('img[src^="/uploads/"]').count(), 1);
    assert.equal(await preview.locator('strong', { hasText: word }).count(), 1);
    assert.ok(await preview.locator('span.hl-keyword').count() > 0);
    assert.equal(await preview.locator('math').count(), 1);
    await shoot(page, 'answer-editor');
    await page.click('button[name=action][value=post]');
    await page.waitForLoadState();
    assert.equal(await page.locator('article.answer').count(), 1);
    const answer = page.locator('article.answer .prose');
    assert.equal(await answer.locator('img[src^="/uploads/"]').count(), 1);
    assert.ok(await answer.locator('img').evaluate((img) => img.complete && img.naturalWidth === 60));
    assert.equal(await answer.locator('strong', { hasText: word }).count(), 1);
    assert.ok(await answer.locator('span.hl-keyword').count() > 0);
    assert.equal(await answer.locator('math msqrt').count(), 1);
    writeFileSync(`${shots}/rich-question.url`, page.url().split('#')[0]);
    await shoot(page, 'question-rich');
  });

  await step('the second user comments', async () => {
    assert.match(await page.textContent('#answers-heading'), /1 Answer/);
    await page.fill('#question textarea[name=body]', 'Do you mean Gothic cathedrals in particular?');
    await page.click('#question form.comment-form button[type=submit]');
    await page.waitForLoadState();
    assert.match(await page.textContent('#question .comment-list'), /Gothic cathedrals/);
  });

  await step('the second user votes the question up, without a page load', async () => {
    await page.click('#question form[data-vote=up] button');
    await waitForText(page, '#question .score', '1');
    assert.equal(await page.getAttribute('#question form[data-vote=up] button', 'aria-pressed'), 'true');
  });

  await step('the asker sees the unread count, opens the inbox and follows the link to the answer', async () => {
    await logOut(page);
    await page.goto(`${base}/login`);
    await page.fill('#login', asker);
    await page.fill('#password', 'a long password 1');
    await page.click('main button[type=submit]');
    await page.waitForLoadState();
    // The inbox is written from the change log, a moment after the answer.
    let count = '';
    for (let i = 0; i < 50 && !count; i++) {
      await page.goto(base);
      count = (await page.locator('.inbox-link .unread-count').count()) ? await page.textContent('.inbox-link .unread-count') : '';
      if (!count) await page.waitForTimeout(200);
    }
    assert.match(count, /^2 unread$/, 'an answer and a comment');
    await page.click('.inbox-link');
    await page.waitForLoadState();
    assert.equal(await page.locator('.inbox-item.unread').count(), 2);
    await shoot(page, 'inbox');
    await page.click('.inbox-item:has-text("New answer to your question") .inbox-open');
    await page.waitForLoadState();
    assert.match(page.url(), /#answer-\d+$/);
    // Reading the question read both of its items: the count is gone.
    assert.equal(await page.locator('.inbox-link .unread-count').count(), 0);
    // Asking followed the question; the achievements page shows the upvote.
    const profile = await page.getAttribute('.site-header a.viewer', 'href');
    await page.goto(`${base}${profile.split('/').slice(0, 3).join('/')}/following`);
    assert.equal(await page.locator('tbody tr').count(), 1);
    assert.match(await page.textContent('tbody'), /Question/);
    await shoot(page, 'following');
    await page.goto(`${base}/inbox/achievements`);
    assert.match(await page.textContent('tbody td.gain'), /^\+\d+/);
    await shoot(page, 'achievements');
  });

  await step('the asker comments, votes the answer up and accepts it', async () => {
    await logOut(page);
    await page.goto(`${base}/login`);
    await page.fill('#login', asker);
    await page.fill('#password', 'a long password 1');
    await page.click('main button[type=submit]');
    await page.waitForLoadState();
    await page.goto(questionUrl);
    // Typing @ and the start of a handle offers the people in the thread.
    await page.click('article.answer textarea[name=body]');
    await page.keyboard.type(`@${answerer.slice(0, 4)}`);
    await page.waitForSelector('article.answer .mention-list li[aria-selected=true]');
    assert.match(await page.textContent('article.answer .mention-list'), new RegExp(`@${answerer}`));
    await page.keyboard.press('Enter');
    await page.keyboard.type('thanks, winding sticks were new to me.');
    assert.equal(await page.inputValue('article.answer textarea[name=body]'), `@${answerer} thanks, winding sticks were new to me.`);
    await page.click('article.answer form.comment-form button[type=submit]');
    await page.waitForLoadState();
    await page.click('article.answer form[data-vote=up] button');
    await waitForText(page, 'article.answer .score', '1');
    await page.click('article.answer form.accept-form button');
    await page.waitForLoadState();
    assert.equal(await page.locator('article.answer.accepted .accepted-label').count(), 1);
    await shoot(page, 'question');
  });

  await step('the asker edits the question and the history shows both revisions', async () => {
    await page.goto(questionUrl);
    await page.click('#question a[href$="/edit"]');
    await page.waitForLoadState();
    await page.fill('#body', 'Without power tools, how did masons get flat faces and true right angles? I mean **Gothic cathedral** work.');
    await page.click('main button[type=submit]');
    await page.waitForLoadState();
    assert.match(await page.textContent('#question'), /Gothic cathedral/);
    await page.click('#question a[href$="/revisions"]');
    await page.waitForLoadState();
    assert.equal(await page.locator('.revision').count(), 2);
    await shoot(page, 'revisions');
  });

  await step('the tags page lists the tags, the new ones among them, and the privileges page its thresholds', async () => {
    await page.goto(`${base}/tags?sort=newest`);
    await shoot(page, 'tags');
    assert.ok(await page.locator('.tag-list a.tag', { hasText: 'masonry' }).count() > 0);
    await page.goto(`${base}/privileges`);
    await shoot(page, 'privileges');
    assert.ok(await page.locator('tbody tr').count() >= 7);
  });

  await step('the API reference lists every operation, and the API answers with the question as JSON', async () => {
    await page.goto(`${base}/api/v1/docs`);
    await shoot(page, 'api-reference');
    assert.ok(await page.locator('section.api-operation').count() >= 20);
    const list = await page.context().request.get(`${base}/api/v1/questions?sort=newest&per_page=5`);
    assert.equal(list.status(), 200);
    const body = await list.json();
    assert.ok(body.items.some((q) => q.tags.includes('masonry')), JSON.stringify(body).slice(0, 300));
  });

  await step('search finds the question', async () => {
    for (let tries = 0; tries < 40; tries += 1) {
      await page.goto(`${base}/search?q=${encodeURIComponent(`masons ${stamp}`)}`);
      if (await page.locator('.search-hit').count() > 0) break;
      await page.waitForTimeout(250);
    }
    assert.match(await page.textContent('.search-hit'), new RegExp(stamp));
    await shoot(page, 'search');
  });

  await step('the keyboard alone logs in, and every focus is visible', async () => {
    await logOut(page);
    await page.goto(`${base}/login`);
    // Tab from the top: each stop must show a focus ring until the log-in field.
    const focusOf = () => page.evaluate(() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      return { id: el.id, tag: el.tagName, outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
    });
    let focused = null;
    for (let tabs = 0; tabs < 30; tabs += 1) {
      await page.keyboard.press('Tab');
      focused = await focusOf();
      assert.ok(focused.outline !== 'none' && focused.width >= 2,
        `focus on ${focused.tag}#${focused.id} is not visible (${focused.outline} ${focused.width}px)`);
      if (focused.id === 'login') break;
    }
    assert.equal(focused.id, 'login', 'Tab reaches the log-in field');
    await page.keyboard.type(asker);
    await page.keyboard.press('Tab');
    assert.equal((await focusOf()).id, 'password');
    await page.keyboard.type('a long password 1');
    await page.keyboard.press('Enter');
    await page.waitForLoadState();
    await waitForText(page, 'header a.viewer', asker);
  });

  await step('the keyboard alone asks, answers and comments, focus always visible', async () => {
    // Tab forward until the focused element matches `selector`, checking each stop.
    const tabTo = async (selector) => {
      for (let tabs = 0; tabs < 250; tabs += 1) {
        await page.keyboard.press('Tab');
        const state = await page.evaluate((sel) => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          return {
            at: el.matches(sel),
            what: `${el.tagName}#${el.id}.${el.className}`,
            visible: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
          };
        }, selector);
        // Past the last stop focus leaves the page (the body) and comes back at the top.
        if (state.what.startsWith('BODY')) continue;
        assert.ok(state.visible, `focus on ${state.what} is not visible`);
        if (state.at) return;
      }
      assert.fail(`Tab never reached ${selector}`);
    };
    // Enter on a form's button, waiting for the page it leads to.
    const enter = () => Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    const keyboardTitle = `Keyboard only question ${stamp} about mortar`;
    await page.goto(`${base}/ask`);
    await tabTo('#title');
    await page.keyboard.type(keyboardTitle);
    await tabTo('#body');
    await page.keyboard.type('How was lime mortar mixed and left to cure in medieval building work?');
    await tabTo('#category');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await tabTo('#tags');
    await page.keyboard.type('masonry');
    await tabTo('button[name=action][value=post]');
    await enter();
    assert.equal(await page.textContent('h1'), keyboardTitle);

    await tabTo('#answer-body');
    await page.keyboard.type('Slaked lime and sand, turned often and kept damp for weeks while it set.');
    await tabTo('form:has(#answer-body) button[name=action][value=post]');
    await enter();
    assert.equal(await page.locator('article.answer').count(), 1, 'the answer posted from the keyboard');

    await tabTo('#question textarea[name=body]');
    await page.keyboard.type('Asked and answered without a mouse.');
    await tabTo('#question form.comment-form button[type=submit]');
    await enter();
    assert.match(await page.textContent('#question .comment-list'), /without a mouse/);
  });

  await step('the profile, log-in and claim pages render, and the asker logs out', async () => {
    await page.click('header a.viewer');
    await page.waitForLoadState();
    await shoot(page, 'profile');
    await logOut(page);
    await page.goto(`${base}/login`);
    await shoot(page, 'login');
    await page.goto(`${base}/claim`);
    await shoot(page, 'claim');
  });
} catch {
  // Reported by step().
} finally {
  await browser.close();
}
console.log(failures() === 0 ? 'e2e: the story passed' : `e2e: ${failures()} step failed`);
process.exit(failures() === 0 ? 0 : 1);
