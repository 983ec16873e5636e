// Bench (`cargo xtask bench`): what each audience downloads from the login page to its first
// page (brotli, as the download test counts it), and the login page's first render on the
// slow-phone profile, against bench/budgets.toml's [downloads]. Writes
// target/bench/render.json; exits 1 when a budget is missed.
//
//   SHEBAO_TEST_STATE=target/test-state node tests/e2e/bench_render.mjs
//
// The slow network throttles the bytes on the wire. workerd compresses like the CDN does, but
// picks gzip when the browser offers gzip too, where Cloudflare answers brotli: the slow
// phone therefore asks for brotli only, so its bytes are the ones a user's phone receives.
import { mkdirSync, writeFileSync } from 'node:fs';
import { budgets } from './budgets.mjs';
import { join } from 'node:path';
import { KB, settle, total, watch } from './downloads.mjs';
import { DESKTOP, PHONE, launchBrowser, newPage, root, signIn, startStack } from './stack.mjs';

const RENDER_RUNS = 5;
// Not a budget: requests on the login page are tiny; about half of the 1.6 Mbit/s down.
const UPLOAD_KBIT = 750;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Brotli KB of every wasm/JS/CSS fetched from the login page to `login`'s first page. */
async function download(browser, base, login, viewport, firstPage, options = {}) {
  const page = await newPage(browser, viewport, options);
  const w = watch(page);
  await signIn(page, base, login);
  await page.getByTestId(firstPage).waitFor();
  await settle(page);
  await page.close();
  if (w.problems.length) throw new Error(`${login}: ${w.problems.join('; ')}`);
  return total([...w.assets]) / KB;
}

/**
 * One cold load of /login on the slow phone (a new context: nothing cached, no connection
 * open): milliseconds from navigation start to the frame that shows the login field, the
 * first contentful paint, and what crossed the wire meanwhile.
 */
async function slowPhoneRender(browser, base, profile) {
  const page = await newPage(browser, PHONE, { isMobile: true, hasTouch: true, extraHTTPHeaders: { 'Accept-Encoding': 'br' } });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: profile.rtt_ms,
    downloadThroughput: (profile.download_kbit * 1000) / 8,
    uploadThroughput: (UPLOAD_KBIT * 1000) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpu_slowdown });
  let wire = 0;
  const encodings = new Set();
  cdp.on('Network.responseReceived', (e) => {
    if (!/\.(wasm|js|css)$/.test(new URL(e.response.url).pathname)) return;
    const header = Object.entries(e.response.headers).find(([name]) => name.toLowerCase() === 'content-encoding');
    encodings.add(header?.[1] ?? 'none');
  });
  cdp.on('Network.loadingFinished', (e) => { wire += e.encodedDataLength; });
  // In the page from its first moment: performance.now() counts from navigation start.
  await page.addInitScript(() => {
    window.__rendered = 0;
    new MutationObserver((_, observer) => {
      const field = document.querySelector('[data-testid=login]');
      if (!field?.checkVisibility()) return;
      observer.disconnect();
      // The frame that paints it.
      requestAnimationFrame(() => { window.__rendered = performance.now(); });
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(`${base}/login`, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__rendered > 0, null, { timeout: 60_000, polling: 50 });
  const { rendered, fcp, wasm } = await page.evaluate(() => ({
    rendered: window.__rendered,
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
    wasm: performance.getEntriesByType('resource').find((r) => r.name.endsWith('/app_bg.wasm'))?.responseEnd ?? null,
  }));
  const result = { ms: rendered, fcp, wasm, wireKb: wire / KB, encodings: [...encodings] };
  await page.close();
  return result;
}

const limits = budgets('downloads');
const stack = await startStack();
const browser = await launchBrowser();
let result;
try {
  const employee = await download(browser, stack.base, 'zhangsan', PHONE, 'profile', { isMobile: true, hasTouch: true });
  const hr = await download(browser, stack.base, 'li.hr', DESKTOP, 'console-home');
  const director = await download(browser, stack.base, 'director', DESKTOP, 'console-home');
  const runs = [];
  for (let run = 0; run < RENDER_RUNS; run++) runs.push(await slowPhoneRender(browser, stack.base, limits));
  result = {
    employee_kb: +employee.toFixed(1),
    console_kb: { hr: +hr.toFixed(1), director: +director.toFixed(1) },
    login_first_render_ms: { median: Math.round(median(runs.map((r) => r.ms))), runs: runs.map((r) => Math.round(r.ms)) },
    fcp_ms: { median: Math.round(median(runs.map((r) => r.fcp))), runs: runs.map((r) => Math.round(r.fcp)) },
    // When the app's wasm had arrived: the rest of the render is compiling and running it.
    login_wasm_arrived_ms: Math.round(median(runs.map((r) => r.wasm))),
    login_wire_kb: +median(runs.map((r) => r.wireKb)).toFixed(1),
    login_asset_encodings: [...new Set(runs.flatMap((r) => r.encodings))],
    profile: { cpu_slowdown: limits.cpu_slowdown, download_kbit: limits.download_kbit, upload_kbit: UPLOAD_KBIT, rtt_ms: limits.rtt_ms },
    budgets: { employee_kb: limits.employee_kb, console_kb: limits.console_kb, login_first_render_ms: limits.login_first_render_ms },
  };
} finally {
  await browser.close();
  stack.stop();
}

const checks = [
  ['employee, login → 我的社保', result.employee_kb, limits.employee_kb, 'KB'],
  ['HR, login → console home', result.console_kb.hr, limits.console_kb, 'KB'],
  ['director, login → console home', result.console_kb.director, limits.console_kb, 'KB'],
  [`login first render, slow phone (median of ${RENDER_RUNS})`, result.login_first_render_ms.median, limits.login_first_render_ms, 'ms'],
];
result.missed = checks.filter(([, value, budget]) => value > budget).map(([name]) => name);
const p = result.profile;
const profile = `${p.cpu_slowdown}× CPU, ${p.download_kbit / 1000} Mbit/s, ${p.rtt_ms} ms RTT`;
// The rows of `cargo xtask bench`'s report.
result.rows = checks.map(([name, value, budget, unit], i) => ({
  bench: i === 3 ? `login page's first render on the slow phone (${profile}), median of ${RENDER_RUNS}` : `download (brotli), ${name}`,
  result: i === 3
    ? `${value} ms (${result.login_first_render_ms.runs.join(', ')}); first paint ${result.fcp_ms.median} ms; ${result.login_wire_kb} KB on the wire`
    : `${value} KB`,
  budget: `≤ ${budget} ${unit}`,
  ok: value <= budget,
}));
mkdirSync(join(root, 'target/bench'), { recursive: true });
writeFileSync(join(root, 'target/bench/render.json'), `${JSON.stringify(result, null, 2)}\n`);

for (const [name, value, budget, unit] of checks) {
  console.log(`  ${name.padEnd(48)} ${String(value).padStart(7)} ${unit}  (≤ ${budget} ${unit})${value > budget ? '  OVER BUDGET' : ''}`);
}
console.log(`    slow phone: ${p.cpu_slowdown}× CPU, ${p.download_kbit / 1000} Mbit/s down, ${p.rtt_ms} ms RTT; runs ${result.login_first_render_ms.runs.join(', ')} ms; `
  + `first contentful paint ${result.fcp_ms.median} ms; wasm arrived at ${result.login_wasm_arrived_ms} ms; ${result.login_wire_kb} KB on the wire (${result.login_asset_encodings.join(', ')})`);
process.exit(result.missed.length ? 1 : 0);
