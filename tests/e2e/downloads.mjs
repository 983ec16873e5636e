// What a page downloads, as the budgets count it: every wasm/JS/CSS file it fetches, at its
// brotli size (quality 11, what the CDN serves), whatever the local server sent. Shared by
// the download test and the bench (`bench_render.mjs`).
import { brotliCompressSync, constants } from 'node:zlib';

export const KB = 1024;

const brotli = (body) => brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const plain = (path) => path.replace(/^\/assets\/([0-9a-f]{16}\/)?/, '');

/**
 * Watches a page: every wasm/JS/CSS it fetches (brotli size) and every problem — a console
 * error, an uncaught exception, a failed request, an HTTP error for a non-API address.
 * The one expected error is the signed-out check of /api/me (401) before login.
 */
export function watch(page) {
  const assets = new Map();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (m.location()?.url?.endsWith('/api/me') && m.text().includes('401')) return;
    problems.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', async (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/api/')) return;
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${url.pathname}`);
    if (/\.(wasm|js|css)$/.test(url.pathname) && r.status() === 200) {
      assets.set(url.pathname, brotli(await r.body()));
    }
  });
  return {
    assets,
    problems,
    /** The assets fetched since the last call. */
    fresh: (() => {
      let seen = new Set();
      return () => {
        const list = [...assets].filter(([p]) => !seen.has(p));
        seen = new Set(assets.keys());
        return list;
      };
    })(),
  };
}

/** Bytes of a list of [path, brotli bytes]. */
export const total = (list) => list.reduce((sum, [, n]) => sum + n, 0);

/** Prints a list's total and its files, largest first. */
export function report(title, list) {
  console.log(`  ${title}: ${(total(list) / KB).toFixed(1)} KB brotli in ${list.length} files`);
  for (const [path, n] of [...list].sort((a, b) => b[1] - a[1])) {
    console.log(`    ${(n / KB).toFixed(1).padStart(6)} KB  ${plain(path)}`);
  }
}

/** The page has settled: no request in flight, then a moment for the view to render. */
export async function settle(page) {
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(200);
}
