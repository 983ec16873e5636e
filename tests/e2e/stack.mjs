// The real local stack for browser tests: a copy of the migrated, seeded D1 state, its own
// `wrangler dev` on a free port, and Debian's Chromium driven by playwright-core.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DEMO_PASSWORD = 'shebao-demo';
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1440, height: 900 };

function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

/**
 * The demo clock's offset from now (whole days, ms): the prepared state names the demo's
 * "today" (xtask's `seed::demo_today`), the day the demo data tells its story on.
 */
function demoClockOffsetMs(template) {
  const demo = readFileSync(join(template, 'demo-today'), 'utf8').trim();
  const chinaToday = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
  return Date.parse(`${demo}T00:00:00Z`) - Date.parse(`${chinaToday}T00:00:00Z`);
}

/** The stack; with `{ demoClock: true }` on the demo clock, as `cargo xtask dev` runs. */
export async function startStack({ demoClock = false } = {}) {
  const template = process.env.SHEBAO_TEST_STATE;
  if (!template) throw new Error('SHEBAO_TEST_STATE is set by `cargo xtask test`');
  const clock = demoClock ? ['--var', `CLOCK_OFFSET_MS:${demoClockOffsetMs(template)}`] : [];
  const dir = mkdtempSync(join(tmpdir(), 'shebao-e2e-'));
  cpSync(template, dir, { recursive: true });
  const port = await freePort();
  const inspector = await freePort(); // parallel instances would all want 9229
  const logFile = join(dir, 'wrangler.log');
  const log = openSync(logFile, 'w');
  const child = spawn(
    join(root, 'node_modules/.bin/wrangler'),
    ['dev', '--local', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspector), '--persist-to', dir, ...clock],
    {
      cwd: root,
      detached: true, // its own process group: node, wrangler and workerd stop together
      stdio: ['ignore', log, log],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_ACCOUNT_ID: '0'.repeat(32), CI: 'true' },
    },
  );
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const r = await fetch(`${base}/api/health`);
      if (r.ok) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) {
      throw new Error(`wrangler dev did not start:\n${readFileSync(logFile, 'utf8')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    base,
    stop() {
      try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A new page as a Chinese user's browser shows it (locale and time zone). */
export function newPage(browser, viewport, options = {}) {
  return browser.newPage({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...options });
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

const shots = join(root, 'target/screenshots');
mkdirSync(shots, { recursive: true });

/** Saves target/screenshots/NAME.png of what the page shows now. */
export async function screenshot(page, name) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

/** Signs in through the login form and waits for the signed-in shell. */
export async function signIn(page, base, login, { path = '/' } = {}) {
  await page.goto(`${base}${path}`);
  await page.getByTestId('login').fill(login);
  await page.getByTestId('password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('who').waitFor();
}

/**
 * One stack and one browser for a test file: started before its tests, stopped after.
 * Returns an object whose `base` and `browser` are set once started.
 */
export function useStack(options = {}) {
  const ctx = { base: '', browser: null };
  let stack;
  before(async () => {
    stack = await startStack(options);
    ctx.base = stack.base;
    ctx.browser = await launchBrowser();
  });
  after(async () => {
    await ctx.browser?.close();
    stack?.stop();
  });
  return ctx;
}
