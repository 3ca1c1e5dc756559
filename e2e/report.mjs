#!/usr/bin/env node
// Opens oauthctl flow reports (HTML files) in the e2e suite's headless Chromium and says
// what a reader sees, as one JSON line per file on stdout:
//   {"file", "requests": [every request the page made besides its own file],
//    "verdict": the verdict section's text, "steps": [{"n", "title", "status", "failing"}],
//    "text": the page's whole text}
//
// Usage: node e2e/report.mjs [--screenshot OUT.png [--dark]] FILE.html…
// Every request is intercepted: the page's own file:// URL goes through, any other is
// recorded and aborted. --screenshot saves the full page of the first file (light
// colour scheme, or --dark).

import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
let screenshot = null;
let dark = false;
const files = [];
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === '--screenshot') screenshot = args[++i];
  else if (args[i] === '--dark') dark = true;
  else files.push(args[i]);
}

const { chromium } = await import('playwright-core');
const browser = await chromium.launch({
  executablePath: process.env.E2E_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--host-resolver-rules=MAP * ~NOTFOUND'],
});
try {
  for (const [i, file] of files.entries()) {
    const context = await browser.newContext({
      colorScheme: dark ? 'dark' : 'light',
      viewport: { width: 1200, height: 900 },
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    const own = pathToFileURL(resolve(file)).href;
    const requests = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url === own) return route.continue();
      requests.push(url);
      return route.abort();
    });
    page.on('request', (r) => { if (r.url() !== own && !requests.includes(r.url())) requests.push(r.url()); });
    await page.goto(own, { waitUntil: 'load' });
    const seen = await page.evaluate(() => ({
      verdict: document.querySelector('.verdict')?.innerText ?? '',
      steps: [...document.querySelectorAll('details.step')].map((d) => ({
        n: Number(d.querySelector('.num')?.textContent),
        title: d.querySelector('summary b')?.textContent ?? '',
        status: d.querySelector('.status')?.textContent ?? '',
        failing: d.classList.contains('failing'),
      })),
      text: document.body.innerText,
    })).catch(async () => {
      // Without JavaScript, evaluate may be refused: read the DOM through locators.
      const steps = [];
      for (const d of await page.locator('details.step').all()) {
        steps.push({
          n: Number(await d.locator('.num').first().textContent()),
          title: await d.locator('summary b').first().textContent(),
          status: await d.locator('.status').first().textContent(),
          failing: ((await d.getAttribute('class')) ?? '').includes('failing'),
        });
      }
      return {
        verdict: await page.locator('.verdict').first().innerText(),
        steps,
        text: await page.locator('body').innerText(),
      };
    });
    if (screenshot && i === 0) await page.screenshot({ path: screenshot, fullPage: true });
    process.stdout.write(`${JSON.stringify({ file, requests, ...seen })}\n`);
    await context.close();
  }
} finally {
  await browser.close();
}
