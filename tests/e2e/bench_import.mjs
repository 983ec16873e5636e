// Bench (`cargo xtask bench`): HR chooses a 50,000-row roster on the import page; the time
// from the file being set to the result being shown (read + check in the browser, nothing
// sent). Budget ≤ 3,000 ms, the median of three runs; exits 1 above it. Also printed: the
// page's longest task meanwhile (it must not freeze: the work is sliced), and the same for
// an .xlsx of 50,000 rows as a figure.
//
//   SHEBAO_TEST_STATE=target/test-state node tests/e2e/bench_import.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { budgets } from './budgets.mjs';
import { DESKTOP, launchBrowser, newPage, signIn, startStack } from './stack.mjs';
import { chineseName, csvOf, residentId, xlsxOf } from './roster_files.mjs';

const { rows: ROWS, seconds } = budgets('import');
const BUDGET_MS = seconds * 1000;
const RUNS = 3;

/** 50,000 new hires, one in a thousand with a salary that is no number. */
function roster() {
  const rows = [['姓名', '身份证号', '部门', '入职日期', '月工资', '手机号', '户籍']];
  const day0 = Date.UTC(1975, 0, 1);
  for (let i = 0; i < ROWS; i++) {
    const birth = new Date(day0 + Math.floor(i / 100) * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
    rows.push([
      chineseName('压测', 100_000 + i),
      residentId(`110101${birth}${String(100 + (i % 100)).padStart(3, '0')}`),
      ['人事部', '财务部', '研发部'][i % 3],
      '2026-03-01',
      i % 1000 === 999 ? 'abc' : String(6000 + (i % 20_000)),
      `139${String(i).padStart(8, '0')}`,
      i % 4 ? '本地' : '外地',
    ]);
  }
  return rows;
}

/** Milliseconds from setting `file` on the import page to the result, and the page's longest task meanwhile. */
async function measure(browser, base, file) {
  const page = await newPage(browser, DESKTOP);
  await signIn(page, base, 'li.hr', { path: '/employees/import' });
  await page.getByTestId('import-file').waitFor();
  await page.evaluate(() => {
    const b = (window.__bench = { start: 0, end: 0, longest: 0 });
    document.addEventListener('change', (e) => {
      if (e.target?.dataset?.testid === 'import-file') b.start = performance.now();
    }, true);
    new MutationObserver((_, observer) => {
      if (b.start && document.querySelector('[data-testid=import-summary]')) {
        b.end = performance.now();
        observer.disconnect();
      }
    }).observe(document.body, { childList: true, subtree: true });
    // The main thread's long tasks (over 50 ms) that began once the page had the file: the
    // hand-over of the file itself (Playwright's, before the change event) is not the page's.
    new PerformanceObserver((list) => {
      for (const t of list.getEntries()) {
        if (b.start && t.startTime >= b.start) b.longest = Math.max(b.longest, t.duration);
      }
    }).observe({ type: 'longtask' });
  });
  await page.getByTestId('import-file').setInputFiles(file);
  await page.waitForFunction(() => window.__bench.end > 0, null, { timeout: 120_000, polling: 100 });
  // Long tasks are reported a moment after they end.
  await page.waitForTimeout(300);
  const result = await page.evaluate(() => ({ ms: window.__bench.end - window.__bench.start, longest: window.__bench.longest }));
  const summary = await page.getByTestId('import-summary').textContent();
  await page.close();
  return { ...result, summary };
}

const longest = (r) => (r.longest ? `${Math.round(r.longest)} ms` : 'under 50 ms');
const expected = `共 ${ROWS} 行，有效 ${ROWS - ROWS / 1000} 行，错误 ${ROWS / 1000} 行`;
const rows = roster();
const csv = { name: '压测花名册.csv', mimeType: 'text/csv', buffer: Buffer.from(csvOf(rows)) };
const xlsx = { name: '压测花名册.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: xlsxOf(rows) };

const stack = await startStack();
const browser = await launchBrowser();
let failed = false;
try {
  const times = [];
  let longestTask = 0;
  for (let run = 0; run < RUNS; run++) {
    const r = await measure(browser, stack.base, csv);
    if (r.summary !== expected) throw new Error(`the page says "${r.summary}", expected "${expected}"`);
    console.log(`  roster import, ${ROWS} rows of CSV (${(csv.buffer.length / 1e6).toFixed(1)} MB) read and checked: ${Math.round(r.ms)} ms (longest task ${longest(r)})`);
    times.push(r.ms);
    longestTask = Math.max(longestTask, r.longest);
  }
  const median = [...times].sort((a, b) => a - b)[Math.floor(RUNS / 2)];
  failed = median > BUDGET_MS;
  console.log(`  roster import: median ${Math.round(median)} ms (budget ≤ ${BUDGET_MS} ms)${failed ? ' — OVER BUDGET' : ''}`);
  const x = await measure(browser, stack.base, xlsx);
  console.log(`  figure: ${ROWS} rows of .xlsx (${(xlsx.buffer.length / 1e6).toFixed(1)} MB, stored) read and checked: ${Math.round(x.ms)} ms (longest task ${longest(x)})`);
  // The rows of `cargo xtask bench`'s report.
  mkdirSync('target/bench', { recursive: true });
  writeFileSync('target/bench/import.json', JSON.stringify([
    {
      bench: `roster import: ${ROWS} CSV rows read and checked in the browser (median of ${RUNS})`,
      result: `${Math.round(median)} ms (${times.map(Math.round).join(', ')}); longest task ${longest({ longest: longestTask })}`,
      budget: `≤ ${BUDGET_MS} ms`,
      ok: !failed,
      raw: { times, xlsx_ms: x.ms },
    },
    { bench: `roster import: ${ROWS} .xlsx rows`, result: `${Math.round(x.ms)} ms (longest task ${longest(x)})`, budget: '(figure)', ok: true },
  ], null, 2));
} finally {
  await browser.close();
  stack.stop();
}
process.exit(failed ? 1 : 0);
