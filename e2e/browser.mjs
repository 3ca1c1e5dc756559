#!/usr/bin/env node
// The real browser of oauthctl's end-to-end suite: Debian's /usr/bin/chromium, headless,
// driven by npm `playwright-core` (pinned in package.json; it never downloads a browser).
//
// Usage:
//   node e2e/browser.mjs URL                          open an authorization URL
//   node e2e/browser.mjs --device URI USER_CODE       enter a device-flow user code
//   add --wait to run in the foreground (exit status 0 = done, 1 = failed)
//
// Without --wait it DETACHES: it starts itself again in the background (its own process
// group, stdin closed, output to the log file) and returns at once. That is what
// `oauthctl login --browser CMD` needs: an opener that blocks would keep oauthctl from
// answering the redirect on its loopback listener.
//
// What it does, on a fresh user-data-dir that is deleted afterwards:
//   authorize  goes to URL, signs in on oidc-provider's login page (E2E_LOGIN, default
//              alice, any password) or on django-oauth-toolkit's (e2e/dot/server.py: alice,
//              E2E_PASSWORD default any-password), accepts the consent page (either
//              provider's), and lets the provider's
//              redirect reach the loopback listener: done when the browser navigates to the
//              redirect_uri of URL (or, when URL has none, to a loopback URL of another
//              origin carrying code or error, and state)
//   device     goes to URI, enters USER_CODE, signs in, accepts consent, confirms the
//              device: done on the provider's "Sign-in Success" page (django-oauth-toolkit:
//              signs in, enters USER_CODE, Accept; done on its "Device Authorized" page)
//
// Environment:
//   E2E_BROWSER_LOG      file the log is appended to (default: $TMPDIR/oauthctl-e2e-browser.log)
//   E2E_BROWSER_TIMEOUT  seconds for the whole run (default 60)
//   E2E_LOGIN            account to sign in as (default alice); E2E_PASSWORD (any)
//   E2E_CONSENT          `accept` (default) or `deny` (clicks the consent page's Cancel)
//   E2E_CHROMIUM         browser executable (default /usr/bin/chromium)
//
// Log lines: `PID n`, `STEP …`, `EXTERNAL blocked|loaded …` (a request that tried to leave
// loopback: with the CSP there is no `loaded` one), `CONSOLE …`, `CALLBACK …` (parameter names, never values:
// codes are not logged), and last `DONE ok` or `DONE error <why>`.

import { spawn } from 'node:child_process';
import {
  appendFileSync, closeSync, mkdtempSync, openSync, rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Every host name but loopback fails to resolve: the browser cannot leave the machine.
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost',
];

const logFile = process.env.E2E_BROWSER_LOG || join(tmpdir(), 'oauthctl-e2e-browser.log');

function log(line) {
  appendFileSync(logFile, `${new Date().toISOString()} [${process.pid}] ${line}\n`);
}

function usage(msg) {
  process.stderr.write(`browser.mjs: ${msg}\nusage: node e2e/browser.mjs [--wait] URL\n       node e2e/browser.mjs [--wait] --device VERIFICATION_URI USER_CODE\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { wait: false, device: false, positional: [] };
  for (const a of argv) {
    if (a === '--wait') opts.wait = true;
    else if (a === '--device') opts.device = true;
    else if (a === '-h' || a === '--help') usage('help');
    else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else opts.positional.push(a);
  }
  const want = opts.device ? 2 : 1;
  if (opts.positional.length !== want) {
    usage(opts.device ? '--device needs VERIFICATION_URI and USER_CODE' : 'give exactly one URL');
  }
  try {
    const u = new URL(opts.positional[0]);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    usage(`not an http(s) URL: ${opts.positional[0]}`);
  }
  return opts;
}

// Returns at once; the work goes on in a detached child.
function detach(argv) {
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--wait', ...argv], {
    detached: true,
    stdio: ['ignore', fd, fd],
    env: process.env,
  });
  child.unref();
  closeSync(fd);
  process.stderr.write(`browser.mjs: started the browser driver in the background (pid ${child.pid}, log ${logFile})\n`);
}

function describeUrl(u) {
  const names = [...u.searchParams.keys()];
  return `${u.origin}${u.pathname}${names.length ? ` params=${names.join(',')}` : ''}`;
}

async function run(opts) {
  const { chromium } = await import('playwright-core');
  const timeoutMs = Number(process.env.E2E_BROWSER_TIMEOUT || 60) * 1000;
  const deadline = Date.now() + timeoutMs;
  const remaining = () => Math.max(1000, deadline - Date.now());
  const login = process.env.E2E_LOGIN || 'alice';
  const password = process.env.E2E_PASSWORD || 'any-password';
  const consent = process.env.E2E_CONSENT || 'accept';
  if (!['accept', 'deny'].includes(consent)) throw new Error(`E2E_CONSENT=${consent}: use accept or deny`);

  const [startUrl, userCode] = opts.positional;
  const start = new URL(startUrl);
  // An end-session URL (OpenID Connect RP-Initiated Logout) is done at its
  // post_logout_redirect_uri, as an authorization URL is at its redirect_uri.
  const redirect = start.searchParams.get('redirect_uri') ?? start.searchParams.get('post_logout_redirect_uri');
  const redirectUrl = redirect ? URL.parse(redirect) : null;
  const isCallback = (u) => {
    if (!LOOPBACK.has(u.hostname)) return false;
    if (redirectUrl) return u.origin === redirectUrl.origin && u.pathname === redirectUrl.pathname;
    return u.origin !== start.origin && u.searchParams.has('state')
      && (u.searchParams.has('code') || u.searchParams.has('error'));
  };

  log(`PID ${process.pid}`);
  log(`STEP start mode=${opts.device ? 'device' : 'authorize'} url=${describeUrl(start)}`);
  const userDataDir = mkdtempSync(join(tmpdir(), 'oauthctl-e2e-chromium-'));
  let context;
  // One way out, whatever ends the run (success, failure, timeout, a signal: the Rust
  // harness sends SIGTERM to the process group on drop): close Chromium, delete the
  // profile, and only then write the DONE line, so whoever waits for it finds no leftovers.
  let finishing = null;
  let watchdog;
  const finish = (result) => {
    finishing ??= (async () => {
      clearTimeout(watchdog);
      const closed = context ? context.close().catch(() => {}) : Promise.resolve();
      await Promise.race([closed, sleep(5000, undefined, { ref: false })]);
      for (let i = 0; i < 20; i += 1) {
        try {
          rmSync(userDataDir, { recursive: true, force: true });
          break;
        } catch {
          await sleep(100); // Chromium may still be writing its profile as it exits
        }
      }
      log(`DONE ${result}`);
      return result === 'ok' ? 0 : 1;
    })();
    return finishing;
  };
  const onSignal = (sig) => finish(`error stopped by ${sig}`).then(() => process.exit(1));
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  process.on('SIGHUP', onSignal);
  watchdog = setTimeout(() => {
    finish(`error timed out after ${timeoutMs / 1000}s`).then(() => process.exit(1));
  }, timeoutMs);
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: process.env.E2E_CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      timeout: remaining(),
    });
    const page = context.pages()[0] ?? await context.newPage();
    page.setDefaultTimeout(15000);

    let reachedCallback = null;
    let onCallback;
    const callback = new Promise((resolve) => { onCallback = resolve; });
    page.on('request', (req) => {
      const u = URL.parse(req.url());
      if (!u || !['http:', 'https:'].includes(u.protocol)) return;
      if (!opts.device && req.isNavigationRequest() && isCallback(u) && !reachedCallback) {
        reachedCallback = u;
        log(`CALLBACK ${describeUrl(u)}`);
        onCallback();
      }
    });
    // Requests that try to leave loopback: refused by the page's CSP (net::ERR_BLOCKED_BY_CSP
    // or csp in the reason) or by the resolver rules (net::ERR_NAME_NOT_RESOLVED).
    const external = (req) => {
      const u = URL.parse(req.url());
      return u && ['http:', 'https:'].includes(u.protocol) && !LOOPBACK.has(u.hostname) ? u : null;
    };
    page.on('requestfailed', (req) => {
      const u = external(req);
      if (u) log(`EXTERNAL blocked (${req.failure()?.errorText ?? '?'}) ${u.origin}${u.pathname}`);
    });
    page.on('requestfinished', (req) => {
      const u = external(req);
      if (u) log(`EXTERNAL loaded ${u.origin}${u.pathname}`);
    });
    page.on('console', (m) => {
      if (['error', 'warning'].includes(m.type())) log(`CONSOLE ${m.type()} ${m.text().slice(0, 300)}`);
    });

    // Runs an action that navigates, and waits for the next page (or for the callback,
    // whose listener may answer slowly or not at all).
    const act = async (what, fn) => {
      log(`STEP ${what}`);
      const loaded = page.waitForEvent('load', { timeout: remaining() }).catch(() => {});
      await fn();
      await Promise.race([loaded, callback]);
    };

    await act('open', () => page.goto(startUrl, { waitUntil: 'commit', timeout: remaining() })
      .catch((e) => { if (!reachedCallback) throw e; }));

    let enteredCode = false;
    for (let step = 0; step < 12; step += 1) {
      if (reachedCallback) break;
      await page.waitForLoadState('domcontentloaded').catch(() => {});
      const title = await page.title().catch(() => '');
      const has = async (sel) => (await page.locator(sel).count()) > 0;
      if (await has('input[name="login"]')) {
        await act(`login as ${login}`, async () => {
          await page.fill('input[name="login"]', login);
          await page.fill('input[name="password"]', password);
          await page.click('button[type="submit"]');
        });
      } else if (await has('input[name="username"]') && await has('input[name="password"]')) {
        // django-oauth-toolkit (e2e/dot/server.py): Django's sign-in form.
        if (title.startsWith('Sign in') && await has('p.error')) throw new Error('the provider refused the sign-in');
        await act(`login as ${login} (django)`, async () => {
          await page.fill('input[name="username"]', login);
          await page.fill('input[name="password"]', password);
          await page.click('button[type="submit"]');
        });
      } else if (await has('#authorizationForm input[name="allow"]')) {
        // django-oauth-toolkit's consent page: "Authorize" (or "Cancel" to deny).
        if (consent === 'deny') {
          await act('deny consent (django)', () => page.click('#authorizationForm input[type="submit"]:not([name="allow"])'));
        } else {
          await act('accept consent (django)', () => page.click('#authorizationForm input[name="allow"]'));
        }
      } else if (await has('input[name="prompt"][value="consent"]')) {
        if (consent === 'deny') {
          await act('deny consent', () => page.click('a[href*="/abort"]'));
        } else {
          await act('accept consent', () => page.click('form:has(input[name="prompt"][value="consent"]) button[type="submit"]'));
        }
      } else if (await has('[id="op.deviceConfirmForm"]')) {
        // Checked before the input form: the confirm form carries the code in a hidden field.
        await act('confirm the device', () => page.click('button[autofocus][form="op.deviceConfirmForm"]'));
      } else if (await has('[id="op.deviceInputForm"]')) {
        if (!opts.device) throw new Error('the provider asks for a device user code, but no --device was given');
        if (enteredCode) {
          const msg = (await page.locator('p.red').allInnerTexts()).join(' ');
          throw new Error(`the provider refused the user code: ${msg || 'it asks for it again'}`);
        }
        enteredCode = true;
        await act('enter the user code', async () => {
          await page.fill('[id="op.deviceInputForm"] input[name="user_code"]', userCode);
          await page.click('button[form="op.deviceInputForm"]');
        });
      } else if (await has('form button[name="action"][value="accept"]')) {
        // django-oauth-toolkit's device page: Accept or Deny.
        if (!opts.device) throw new Error('the provider asks to accept a device, but no --device was given');
        const choice = consent === 'deny' ? 'deny' : 'accept';
        await act(`${choice} the device (django)`, () => page.click(`form button[name="action"][value="${choice}"]`));
      } else if (await has('form input[name="user_code"]:not([type="hidden"])')) {
        // django-oauth-toolkit's user-code page.
        if (!opts.device) throw new Error('the provider asks for a device user code, but no --device was given');
        if (enteredCode) {
          const msg = (await page.locator('.errorlist').allInnerTexts()).join(' ');
          throw new Error(`the provider refused the user code: ${msg || 'it asks for it again'}`);
        }
        enteredCode = true;
        await act('enter the user code (django)', async () => {
          await page.fill('form input[name="user_code"]', userCode);
          await page.click('form button[type="submit"]');
        });
      } else if ((await page.locator('h1', { hasText: /^\s*Device (Authorized|Denied)\s*$/ }).count()) > 0) {
        if (!opts.device) throw new Error('the provider shows a device status page in authorize mode');
        const status = (await page.locator('h1').first().innerText()).trim();
        if (status !== (consent === 'deny' ? 'Device Denied' : 'Device Authorized')) throw new Error(`the provider says ${status}`);
        log(`STEP the provider says: ${status}`);
        return await finish('ok');
      } else if (title === 'Sign-in Success') {
        if (!opts.device) throw new Error('the provider shows a device sign-in success page in authorize mode');
        log('STEP the provider says the device sign-in succeeded');
        return await finish('ok');
      } else if ((await page.locator('h2', { hasText: /^Error: / }).count()) > 0) {
        const details = (await page.locator('.block-center').allInnerTexts()).join('; ').replace(/\s+/g, ' ');
        throw new Error(`the provider shows an error page: ${details}`);
      } else if (title.startsWith('oops!')) {
        const details = (await page.locator('pre').allInnerTexts()).join('; ');
        throw new Error(`the provider shows an error page: ${details}`);
      } else {
        const text = (await page.locator('body').innerText().catch(() => '')).replace(/\s+/g, ' ').slice(0, 300);
        throw new Error(`unexpected page ${describeUrl(new URL(page.url()))} title=${JSON.stringify(title)} text=${JSON.stringify(text)}`);
      }
    }
    if (!reachedCallback) {
      throw new Error(opts.device ? 'the device flow did not reach the success page' : 'the redirect never reached the callback');
    }
    // Let the loopback listener answer before the browser goes away.
    await page.waitForLoadState('load', { timeout: 5000 }).catch(() => {});
    log(`STEP the callback answered: ${JSON.stringify((await page.title().catch(() => '')) || '(no title)')}`);
    return await finish('ok');
  } catch (err) {
    return finish(`error ${String(err.message ?? err).split('\n')[0]}`);
  }
}

const argv = process.argv.slice(2);
const opts = parseArgs(argv);
if (opts.wait) {
  process.exitCode = await run(opts).catch((err) => {
    log(`DONE error ${String(err.message ?? err).split('\n')[0]}`);
    return 1;
  });
} else {
  detach(argv);
}
