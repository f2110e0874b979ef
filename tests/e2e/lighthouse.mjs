// Lighthouse (npm lighthouse, Debian's Chromium) on the home and question pages:
// performance, accessibility, best practices and SEO must each score at least 95.
// Usage: node lighthouse.mjs URL... ; writes the reports beside the screenshots.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const MIN = 95;
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
const out = process.env.SCREENSHOTS || 'screenshots';
mkdirSync(out, { recursive: true });

let failed = false;
for (const [i, url] of process.argv.slice(2).entries()) {
  const report = join(out, `lighthouse-${i + 1}.json`);
  execFileSync('node_modules/.bin/lighthouse', [
    url,
    '--quiet',
    '--chrome-path=/usr/bin/chromium',
    '--chrome-flags=--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run',
    `--only-categories=${CATEGORIES.join(',')}`,
    '--output=json',
    `--output-path=${report}`,
  ], { stdio: 'inherit' });
  const lhr = JSON.parse(readFileSync(report, 'utf8'));
  const scores = CATEGORIES.map((c) => [c, Math.round(lhr.categories[c].score * 100)]);
  console.log(`lighthouse ${new URL(url).pathname}: ${scores.map(([c, s]) => `${c} ${s}`).join(', ')}`);
  for (const [category, score] of scores) {
    if (score >= MIN) continue;
    failed = true;
    for (const ref of lhr.categories[category].auditRefs) {
      const audit = lhr.audits[ref.id];
      if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
        console.log(`  ${category}: ${ref.id} ${audit.score} ${audit.displayValue || ''}`);
      }
    }
  }
}
if (failed) {
  console.error(`lighthouse: a score is below ${MIN}`);
  process.exit(1);
}
