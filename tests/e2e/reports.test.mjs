// The reports on the demo data: the director opens each from the nav and its tables hold
// the figures the API answers for the same filter; the filter lives in the URL (reload
// keeps it, back returns to the one before); the export is an .xlsx; an HR specialist sees
// only her branch and an employee none. Screenshots of each report at phone and desktop
// sizes, and no page wider than the phone.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { DESKTOP, PHONE, newPage, screenshot, signIn, useStack } from './stack.mjs';

const stack = useStack({ demoClock: true });

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

/** A month `back` months before the demo's (the demo clock stays in the real month). */
function month(back = 0) {
  const now = new Date(Date.now() + 8 * 3600 * 1000);
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1)).toISOString().slice(0, 7);
}

function isoDaysAgo(days) {
  return new Date(Date.now() + 8 * 3600 * 1000 - days * 86400 * 1000).toISOString().slice(0, 10);
}

/** "¥1,234.56" as the app's format_yuan writes a decimal string. */
function yuan(s) {
  const v = Number(s);
  const text = Math.abs(v).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${v < 0 && text !== '0.00' ? '-' : ''}¥${text}`;
}

const days = (d) => (d == null ? '—' : String(d));

/** The JSON of `path` as the signed-in page reads it. */
async function json(page, path) {
  const r = await page.request.get(`${stack.base}${path}`);
  assert.equal(r.status(), 200, `${path}: ${await r.text()}`);
  return r.json();
}

async function post(page, path, data) {
  const r = await page.request.post(`${stack.base}${path}`, { headers: { Origin: stack.base }, data });
  assert.ok(r.ok(), `${path}: ${r.status()} ${await r.text()}`);
  return r.json();
}

/** 张三's outpatient claim with its documents, submitted; its detail. */
async function submitClaim(zhangsan, amount) {
  const made = await post(zhangsan, '/api/claims', {
    kind: 'outpatient', amount, start_date: isoDaysAgo(9), end_date: isoDaysAgo(9), hospital: '北京协和医院',
  });
  const id = made.claim.id;
  let detail = made;
  for (const kind of ['certificate', 'expense_list', 'id_copy']) {
    const r = await zhangsan.request.post(`${stack.base}/api/claims/${id}/documents?kind=${kind}&name=${kind}.pdf`, {
      headers: { Origin: stack.base, 'Content-Type': 'application/pdf' },
      data: PDF,
    });
    assert.ok(r.ok(), `upload ${kind}: ${r.status()} ${await r.text()}`);
    detail = await r.json();
  }
  return post(zhangsan, `/api/claims/${id}/submit`, { version: detail.claim.version });
}

/** HR and finance approve the claim, finance pays it. */
async function payClaim(hr, finance, id) {
  const reviewed = await post(hr, `/api/claims/${id}/approve`, { version: (await json(hr, `/api/claims/${id}`)).claim.version });
  const approved = await post(finance, `/api/claims/${id}/approve`, { version: reviewed.claim.version });
  await post(finance, `/api/claims/${id}/pay`, { version: approved.claim.version });
}

/** Claims for the claim-time report: one held on 北京's lapsed month and paid once the
 * month is paid, one submitted after it and paid, one still waiting. */
async function makeClaims() {
  const [zhangsan, hr, finance] = await Promise.all([PHONE, DESKTOP, DESKTOP].map((v) => newPage(stack.browser, v)));
  await signIn(zhangsan, stack.base, 'zhangsan');
  await signIn(hr, stack.base, 'li.hr');
  await signIn(finance, stack.base, 'zhao.fin');
  const held = await submitClaim(zhangsan, '320.50');
  assert.equal(held.claim.state, 'held');
  const run = `/api/runs/run-br-beijing-${month(1)}`;
  const approved = await post(finance, `${run}/approve`, { version: (await json(finance, run)).run.version });
  await post(finance, `${run}/submit`, { version: approved.run.version });
  await payClaim(hr, finance, held.claim.id);
  const normal = await submitClaim(zhangsan, '1280.00');
  assert.equal(normal.claim.state, 'hr_review');
  await payClaim(hr, finance, normal.claim.id);
  await submitClaim(zhangsan, '99.90');
  for (const page of [zhangsan, hr, finance]) await page.close();
}

/** The page is no wider than its window: wide tables scroll inside their box. */
async function assertNoSidewaysScroll(page) {
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scroll <= width, `the page is ${scroll} px wide in a ${width} px window`);
}

/** A chart is an image with a name for screen readers, and draws something. */
async function assertChart(page, testid) {
  const svg = page.getByTestId(testid).locator('svg');
  assert.equal(await svg.getAttribute('role'), 'img');
  assert.ok((await svg.getAttribute('aria-label'))?.length > 0, `${testid} has a label`);
  assert.ok((await svg.locator('rect, circle').count()) > 0, `${testid} draws its figures`);
}

/** Exactly the tab of `slug` is marked as the one shown. */
async function assertTab(page, slug) {
  assert.deepEqual(await page.locator('[data-testid=report-tabs] .tab.on').evaluateAll((els) => els.map((e) => e.dataset.testid)), [`report-tab-${slug}`]);
}

const cell = (table, key, testid) => table.locator(`tr[data-key="${key}"] [data-testid="${testid}"]`);

test('the director opens each report from the nav; its tables hold the API\'s figures', async () => {
  await makeClaims();
  const page = await newPage(stack.browser, DESKTOP);
  await signIn(page, stack.base, 'director');
  await page.getByTestId('nav-reports').click();
  await page.getByTestId('late-by-branch').waitFor();
  assert.equal(new URL(page.url()).pathname, '/reports/late-payments', '/reports is the first report');
  await assertTab(page, 'late-payments');

  // 逾期缴费: the same figures as the API's answer without a filter (the last 12 months).
  const late = await json(page, '/api/reports/late-payments');
  const total = page.getByTestId('late-by-branch').getByTestId('late-total');
  assert.equal(await total.getByTestId('late').textContent(), String(late.total.late));
  assert.equal(await total.getByTestId('runs').textContent(), String(late.total.runs));
  assert.equal(await total.getByTestId('late-fees').textContent(), yuan(late.total.late_fees));
  assert.ok(late.total.late > 0, 'the demo has late months');
  const shanghai = late.by_branch.find((b) => b.label === '上海分公司');
  assert.equal(await cell(page.getByTestId('late-by-branch'), shanghai.key, 'late').textContent(), String(shanghai.late));
  assert.equal(await page.getByTestId('late-by-month').locator('tbody tr').count(), late.by_month.length);
  assert.equal(await page.getByTestId('late-run').count(), late.runs.length);
  assert.equal(await page.getByTestId('late-run').first().getByTestId('days-late').textContent(), String(late.runs[0].days_late));
  assert.equal(await page.getByTestId('report-from').inputValue(), late.header.from, 'the months the server applied');
  assert.equal(await page.getByTestId('report-to').inputValue(), late.header.to);
  for (const c of late.causes) await page.getByTestId('chart-late-trend').locator('.legend').getByText(c.label).waitFor();
  await assertChart(page, 'chart-late-trend');
  await assertChart(page, 'chart-late-branches');
  await screenshot(page, 'reports-late-payments-desktop');

  // 报销时效: medians and counts of both groups.
  await page.getByTestId('report-tab-claim-times').click();
  await page.getByTestId('claim-groups').waitFor();
  await assertTab(page, 'claim-times');
  const claims = await json(page, '/api/reports/claim-times');
  for (const g of claims.groups) {
    const groups = page.getByTestId('claim-groups');
    assert.equal(await cell(groups, g.key, 'count').textContent(), String(g.spread.count));
    assert.equal(await cell(groups, g.key, 'median').textContent(), days(g.spread.median));
    assert.equal(await cell(groups, g.key, 'p90').textContent(), days(g.spread.p90));
    assert.equal(await cell(groups, g.key, 'waiting').textContent(), String(g.waiting));
  }
  assert.deepEqual(claims.groups.map((g) => g.spread.count), [1, 1], 'one paid claim in each group');
  assert.equal(claims.groups.reduce((n, g) => n + g.waiting, 0), 1);
  await assertChart(page, 'chart-claim-groups');
  await assertChart(page, 'chart-claim-trend');
  await screenshot(page, 'reports-claim-times-desktop');

  // 社保成本: a branch's cost and share, a month, what mistakes cost.
  await page.getByTestId('report-tab-costs').click();
  await page.getByTestId('cost-branches').waitFor();
  await assertTab(page, 'costs');
  const costs = await json(page, '/api/reports/costs');
  for (const b of costs.by_branch) {
    assert.equal(await cell(page.getByTestId('cost-branches'), b.key, 'employer').textContent(), yuan(b.employer));
    assert.equal(await cell(page.getByTestId('cost-branches'), b.key, 'share').textContent(), `${Number(b.share_percent).toFixed(1)}%`);
  }
  const last = costs.by_month.at(-1);
  assert.equal(await cell(page.getByTestId('cost-months'), last.period, 'new-hire-cost').textContent(), yuan(last.new_hire_cost));
  const growth = last.new_hire_growth == null ? '—' : `${Number(last.new_hire_growth) > 0 ? '+' : ''}${Number(last.new_hire_growth).toFixed(1)}%`;
  assert.equal(await cell(page.getByTestId('cost-months'), last.period, 'growth').textContent(), growth);
  assert.equal(await page.getByTestId('mistakes-fees').textContent(), yuan(costs.mistakes.fees));
  assert.equal(await page.getByTestId('mistakes-back-payments').textContent(), yuan(costs.mistakes.back_payments));
  assert.equal(await page.getByTestId('cost-departments').locator('tbody tr').count(), costs.by_department.length);
  for (const id of ['chart-cost-branches', 'chart-cost-departments', 'chart-new-hire']) await assertChart(page, id);
  await screenshot(page, 'reports-costs-desktop');
  await page.close();

  // The same three on a phone: nothing wider than the screen.
  const phone = await newPage(stack.browser, PHONE, { isMobile: true, hasTouch: true });
  await signIn(phone, stack.base, 'director', { path: '/reports' });
  for (const [slug, table] of [['late-payments', 'late-runs'], ['claim-times', 'claim-months'], ['costs', 'cost-months']]) {
    await phone.getByTestId(`report-tab-${slug}`).click();
    await phone.getByTestId(table).waitFor();
    await assertTab(phone, slug);
    await assertNoSidewaysScroll(phone);
    await screenshot(phone, `reports-${slug}-phone`);
  }
  await phone.close();
});

test('the filter is kept in the URL: reload keeps it, back returns to the one before; the export is an .xlsx', async () => {
  const page = await newPage(stack.browser, DESKTOP);
  await signIn(page, stack.base, 'director', { path: '/reports/late-payments' });
  await page.getByTestId('late-by-month').waitFor();
  const from = month(5);
  await page.getByTestId('report-from').fill(from);
  await page.waitForURL((u) => u.searchParams.get('from') === from);
  const first = new URL(page.url());
  assert.equal(first.searchParams.get('to'), month(0), 'both months in the URL');
  await page.getByTestId('late-by-month').locator('tbody tr').nth(5).waitFor();
  assert.equal(await page.getByTestId('late-by-month').locator('tbody tr').count(), 6);
  const api = await json(page, `/api/reports/late-payments?from=${from}&to=${month(0)}`);
  assert.equal(await page.getByTestId('late-total').getByTestId('late').textContent(), String(api.total.late));

  await page.reload();
  await page.getByTestId('late-by-month').waitFor();
  assert.equal(await page.getByTestId('report-from').inputValue(), from);
  assert.equal(await page.getByTestId('late-by-month').locator('tbody tr').count(), 6);

  // A branch, then back: the months only again.
  await page.getByTestId('report-branch').selectOption({ label: '上海分公司' });
  await page.waitForURL((u) => u.searchParams.get('branch') === 'br-shanghai');
  await page.getByTestId('late-by-branch').locator('tbody tr').first().waitFor();
  assert.deepEqual(await page.getByTestId('late-by-branch').locator('tbody tr td:first-child').allTextContents(), ['上海分公司']);
  await page.goBack();
  await page.waitForURL((u) => !u.searchParams.has('branch') && u.searchParams.get('from') === from);
  await page.getByTestId('late-by-month').waitFor();
  assert.equal(await page.getByTestId('report-branch').inputValue(), '');
  assert.equal(await page.getByTestId('report-from').inputValue(), from);

  // The tabs keep the filter.
  await page.getByTestId('report-tab-costs').click();
  await page.getByTestId('cost-months').waitFor();
  assert.equal(new URL(page.url()).searchParams.get('from'), from);
  assert.equal(await page.getByTestId('cost-months').locator('tbody tr').count(), 6);

  // The export: the same report and filter as a file.
  assert.equal(await page.getByTestId('report-export').getAttribute('href'), `/api/reports/costs?from=${from}&to=${month(0)}&format=xlsx`);
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-export').click()]);
  assert.ok((await readFile(await file.path())).subarray(0, 2).equals(Buffer.from('PK')), 'an .xlsx (a zip)');
  assert.match(file.suggestedFilename(), /\.xlsx$/);

  // /reports with a filter: the first report, the filter kept; back leaves the reports.
  await page.goto(`${stack.base}/reports?from=${from}`);
  await page.waitForURL((u) => u.pathname === '/reports/late-payments' && u.searchParams.get('from') === from);
  await page.getByTestId('late-by-month').locator('tbody tr').nth(5).waitFor();

  // A month that is not one: the server's words.
  await page.goto(`${stack.base}/reports/claim-times?from=2026-13`);
  await page.getByTestId('error').waitFor();
  assert.match(await page.getByTestId('error').textContent(), /月份/);
  await page.close();
});

test('an HR specialist reads only her branch; an employee reads no report', async () => {
  const hr = await newPage(stack.browser, DESKTOP);
  await signIn(hr, stack.base, 'li.hr');
  await hr.getByTestId('nav-reports').click();
  await hr.getByTestId('late-by-branch').waitFor();
  const branch = hr.getByTestId('report-branch');
  assert.deepEqual(await branch.locator('option').allTextContents(), ['北京分公司']);
  assert.ok(await branch.isDisabled(), 'nothing to choose');
  assert.deepEqual(await hr.getByTestId('late-by-branch').locator('tbody tr td:first-child').allTextContents(), ['北京分公司']);
  assert.equal((await hr.request.get(`${stack.base}/api/reports/costs?branch=br-shanghai`)).status(), 403);
  await hr.close();

  const zhangsan = await newPage(stack.browser, PHONE, { isMobile: true, hasTouch: true });
  await signIn(zhangsan, stack.base, 'zhangsan', { path: '/reports' });
  await zhangsan.getByTestId('report-denied').waitFor();
  assert.match(await zhangsan.getByTestId('report-denied').textContent(), /无权/);
  assert.equal(await zhangsan.getByTestId('nav-reports').count(), 0);
  assert.equal((await zhangsan.request.get(`${stack.base}/api/reports/late-payments`)).status(), 403);
  await zhangsan.close();

  const admin = await newPage(stack.browser, DESKTOP);
  await signIn(admin, stack.base, 'admin');
  assert.equal(await admin.getByTestId('nav-reports').count(), 0);
  assert.equal((await admin.request.get(`${stack.base}/api/reports/claim-times`)).status(), 403);
  await admin.close();
});
