// 张三's hospital claim on his phone, with the demo data: 北京分公司's last month was never
// approved by finance, so his claim is held with a message saying which month and what to
// do; finance pays that month and the claim resumes by itself; HR and finance approve and
// pay it, and 张三 sees it paid on his timeline.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DESKTOP, PHONE, newPage, screenshot, signIn, useStack } from './stack.mjs';

const stack = useStack({ demoClock: true });

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

function lastMonth() {
  // The demo clock stays in the real month (see xtask's seed::demo_today).
  const now = new Date(Date.now() + 8 * 3600 * 1000);
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return { period: d.toISOString().slice(0, 7), zh: `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月` };
}

test('张三\'s claim is held on the lapsed month, resumes by itself once paid, and is paid', async () => {
  const last = lastMonth();
  const zhangsan = await newPage(stack.browser, PHONE, { hasTouch: true, isMobile: true });
  await signIn(zhangsan, stack.base, 'zhangsan', { path: '/claims' });
  await zhangsan.getByTestId('claims-empty').waitFor();
  await screenshot(zhangsan, 'claims-empty-phone');
  await zhangsan.getByTestId('claim-new').click();

  // The form says what is wrong as he types, then creates the draft.
  await zhangsan.getByTestId('claim-kind-inpatient').click();
  await zhangsan.getByTestId('claim-amount').fill('12.345');
  await zhangsan.getByTestId('field-error-amount').waitFor();
  await zhangsan.getByTestId('claim-amount').fill('8,650.40');
  await zhangsan.getByTestId('claim-start').fill(isoDaysAgo(20));
  await zhangsan.getByTestId('claim-end').fill(isoDaysAgo(14));
  await zhangsan.getByTestId('claim-hospital').fill('北京协和医院');
  await screenshot(zhangsan, 'claim-new-phone');
  await zhangsan.getByTestId('claim-create').click();
  await zhangsan.getByTestId('claim-state').waitFor();
  assert.equal(await zhangsan.getByTestId('claim-state').textContent(), '草稿');
  assert.match(await zhangsan.getByTestId('missing-documents').textContent(), /费用清单/);

  // A program renamed .pdf is refused with the reason; the real documents go up.
  await zhangsan.getByTestId('upload-certificate').setInputFiles({ name: 'report.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ\x90\x00\x03\x00') });
  await zhangsan.getByTestId('upload-error').waitFor();
  assert.match(await zhangsan.getByTestId('upload-error').textContent(), /PDF、JPEG 或 PNG/);
  await zhangsan.getByTestId('upload-certificate').setInputFiles({ name: '出院小结.pdf', mimeType: 'application/pdf', buffer: PDF });
  await zhangsan.getByTestId('upload-expense_list').setInputFiles({ name: '费用清单.png', mimeType: 'image/png', buffer: PNG });
  await zhangsan.getByTestId('upload-id_copy').setInputFiles({ name: '身份证.png', mimeType: 'image/png', buffer: PNG });
  await zhangsan.getByTestId('missing-documents').waitFor({ state: 'detached' });
  assert.equal(await zhangsan.locator('[data-testid^="document-"]').count(), 3);
  await screenshot(zhangsan, 'claim-documents-phone');

  // Submitted: held, in plain words, on last month.
  await zhangsan.getByTestId('claim-submit').click();
  await zhangsan.getByTestId('claim-held').waitFor();
  const held = await zhangsan.getByTestId('claim-held').textContent();
  assert.match(held, new RegExp(last.zh));
  assert.match(held, /自动继续/);
  assert.match(await zhangsan.getByTestId('claim-next').textContent(), /单位人事与财务/);
  const url = zhangsan.url();
  await screenshot(zhangsan, 'claim-held-phone');

  // HR sees the alert with its link to the claim.
  const hr = await newPage(stack.browser, DESKTOP);
  await signIn(hr, stack.base, 'li.hr', { path: '/alerts' });
  await hr.getByText('张三 的医疗报销').first().waitFor();
  await screenshot(hr, 'alerts-claim-desktop');

  // Finance approves and submits last month's run: it is paid (late, with its fee).
  const finance = await newPage(stack.browser, DESKTOP);
  await signIn(finance, stack.base, 'zhao.fin', { path: `/runs/run-br-beijing-${last.period}` });
  await finance.getByTestId('run-action-approve').click();
  await finance.getByTestId('run-action-submit').click();
  await finance.getByTestId('receipt-no').waitFor();

  // Nobody touches the claim: it has resumed.
  await zhangsan.goto(url);
  await zhangsan.getByTestId('claim-timeline').getByText('社保已补缴，自动恢复').waitFor();
  assert.equal(await zhangsan.getByTestId('claim-state').textContent(), '人事审核中');
  assert.equal(await zhangsan.getByTestId('claim-held').count(), 0);

  // HR approves, finance approves and pays, in the console.
  const claimPath = new URL(url).pathname;
  await hr.goto(`${stack.base}/claims?state=hr_review`);
  await hr.getByTestId('claims-list').getByText('张三').first().waitFor();
  await screenshot(hr, 'claims-review-desktop');
  await hr.goto(`${stack.base}${claimPath}`);
  await hr.locator('[data-testid^="document-"] img').first().waitFor();
  await screenshot(hr, 'claim-hr-review-desktop');
  await hr.getByTestId('claim-action-approve').click();
  await hr.getByTestId('claim-action-approve').waitFor({ state: 'detached' });
  assert.equal(await hr.getByTestId('claim-state').textContent(), '财务审批中');
  await finance.goto(`${stack.base}${claimPath}`);
  await finance.getByTestId('claim-action-approve').click();
  await finance.getByTestId('claim-action-pay').click();
  await finance.getByTestId('claim-receipt').waitFor();
  assert.equal(await finance.getByTestId('claim-state').textContent(), '已打款');

  // 张三 sees it paid, with every step on his timeline.
  await zhangsan.reload();
  await zhangsan.getByTestId('claim-receipt').waitFor();
  assert.equal(await zhangsan.getByTestId('claim-state').textContent(), '已打款');
  const steps = await zhangsan.getByTestId('timeline-step').allTextContents();
  for (const label of ['提交申请（社保断缴，暂停）', '社保已补缴，自动恢复', '人事审核通过', '财务审批通过', '银行已打款']) {
    assert.ok(steps.some((s) => s.includes(label)), `${label} on the timeline`);
  }
  await screenshot(zhangsan, 'claim-paid-phone');
  await zhangsan.goto(`${stack.base}/claims`);
  await zhangsan.getByTestId('claims-list').waitFor();
  await screenshot(zhangsan, 'claims-phone');
  for (const page of [zhangsan, hr, finance]) await page.close();
});

function isoDaysAgo(days) {
  // The demo clock runs ahead of the real one, inside the same month: dates from the real
  // clock are in the past on it too.
  const d = new Date(Date.now() + 8 * 3600 * 1000 - days * 86400 * 1000);
  return d.toISOString().slice(0, 10);
}

test('the claim lists page twenty at a time, and the back button returns to the page before', async () => {
  const zhangsan = await newPage(stack.browser, PHONE, { hasTouch: true, isMobile: true });
  await signIn(zhangsan, stack.base, 'zhangsan', { path: '/claims' });
  for (let n = 0; n < 21; n += 1) {
    const r = await zhangsan.request.post(`${stack.base}/api/claims`, {
      headers: { Origin: stack.base },
      data: { kind: 'outpatient', amount: `${100 + n}.00`, start_date: isoDaysAgo(5), end_date: isoDaysAgo(5), hospital: '北京协和医院' },
    });
    assert.ok(r.ok(), `draft ${n}: ${r.status()} ${await r.text()}`);
  }
  const all = (await (await zhangsan.request.get(`${stack.base}/api/claims?per_page=100`)).json()).items;
  assert.ok(all.length > 20 && all.length <= 40, `${all.length} claims: two pages`);

  const cards = (page) => page.locator('[data-testid^="claim-card-"]');
  await zhangsan.reload();
  await zhangsan.getByTestId('claims-list').waitFor();
  assert.equal(await cards(zhangsan).count(), 20);
  assert.ok(await zhangsan.getByTestId('prev-page').isDisabled());
  const first = await cards(zhangsan).first().getAttribute('data-testid');
  assert.equal(first, `claim-card-${all[0].id}`, 'newest first');
  await zhangsan.getByTestId('next-page').click();
  await zhangsan.waitForURL(/\/claims\?after=[0-9a-f]+$/);
  await zhangsan.waitForFunction((n) => document.querySelectorAll('[data-testid^="claim-card-"]').length === n, all.length - 20);
  assert.ok(await zhangsan.getByTestId('next-page').isDisabled(), 'the last page');
  assert.equal(await cards(zhangsan).first().getAttribute('data-testid'), `claim-card-${all[20].id}`);
  await screenshot(zhangsan, 'claims-second-page-phone');
  await zhangsan.goBack();
  await zhangsan.waitForFunction(() => document.querySelectorAll('[data-testid^="claim-card-"]').length === 20);
  assert.equal(await cards(zhangsan).first().getAttribute('data-testid'), first);

  // HR's review table of the drafts pages the same way, its state kept beside the place.
  const hr = await newPage(stack.browser, DESKTOP);
  await signIn(hr, stack.base, 'li.hr', { path: '/claims?state=draft' });
  await hr.getByTestId('claims-list').waitFor();
  const rows = (page) => page.locator('[data-testid^="claim-row-"]');
  assert.equal(await rows(hr).count(), 20);
  await hr.getByTestId('next-page').click();
  await hr.waitForURL(/\/claims\?state=draft&after=[0-9a-f]+$/);
  const drafts = all.filter((c) => c.state === 'draft').length;
  await hr.waitForFunction((n) => document.querySelectorAll('[data-testid^="claim-row-"]').length === n, drafts - 20);
  await hr.getByTestId('prev-page').click();
  await hr.waitForURL(/\/claims\?state=draft&before=[0-9a-f]+$/);
  await hr.waitForFunction(() => document.querySelectorAll('[data-testid^="claim-row-"]').length === 20);
  for (const page of [zhangsan, hr]) await page.close();
});
