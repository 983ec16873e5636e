// 小李's mistake: a 补缴 (back-payment) picked for a new hire. The price stops her once;
// the second time it is submitted and approved, the supervisor revokes it before
// execution, she changes it to 正常增员, and it is approved and executed. The timeline shows
// every step. Then she asks the bureau to revoke it, and the supervisor approves that.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DESKTOP, PHONE, newPage, screenshot, signIn, useStack } from './stack.mjs';

const stack = useStack();
const EMPLOYEE = 'emp-0010';

/** The current and the previous month in China, as YYYY-MM. */
function months() {
  const now = new Date(Date.now() + 8 * 3600 * 1000);
  const current = now.toISOString().slice(0, 7);
  now.setUTCDate(1);
  now.setUTCMonth(now.getUTCMonth() - 1);
  return { current, previous: now.toISOString().slice(0, 7) };
}

async function requestsOf(page, employee) {
  const r = await page.request.get(`${stack.base}/api/enrollments?employee=${employee}`);
  assert.equal(r.status(), 200);
  return (await r.json()).items;
}

/** Fills the new-request form for a back-payment of last month. */
async function enterBackPayment(page) {
  const { previous } = months();
  await page.goto(`${stack.base}/enrollments/new?employee=${EMPLOYEE}&kind=back_payment`);
  await page.getByTestId('request-form').waitFor();
  await page.getByTestId('employee-picked').waitFor();
  await page.getByTestId('kind-back_payment').click();
  await page.getByTestId('back-payment-explanation').waitFor();
  await page.getByTestId('field-from_month').fill(previous);
  await page.getByTestId('field-to_month').fill(previous);
  await page.getByTestId('field-reason').fill('新员工入职');
  await page.getByTestId('price-breakdown').waitFor();
}

async function act(page, action, title) {
  await page.getByTestId(`action-${action}`).click();
  await page.getByTestId('state-badge').filter({ hasText: title }).waitFor();
}

test('the price confirmation stops a mistaken 补缴; cancelling saves nothing', async () => {
  const page = await newPage(stack.browser, DESKTOP);
  await signIn(page, stack.base, 'li.hr');
  await page.getByTestId('console-home').waitFor();
  await screenshot(page, 'console-home-desktop');
  await enterBackPayment(page);
  await page.getByTestId('submit-request').click();
  const dialog = page.getByTestId('confirm-dialog');
  await dialog.waitFor();
  const text = await page.getByTestId('confirm-text').textContent();
  assert.match(text, /^您即将为员工.+办理.*补缴，本次操作将产生 ¥[\d,]+\.\d\d 费用/);
  assert.match(await page.getByTestId('confirm-explanation').textContent(), /补缴/);
  await screenshot(page, 'enrollment-confirm-desktop');
  await page.getByTestId('confirm-cancel').click();
  await dialog.waitFor({ state: 'detached' });
  assert.deepEqual(await requestsOf(page, EMPLOYEE), [], 'cancelling saved nothing');
  await page.close();
});

test('小李的失误: submitted, approved, revoked in time, corrected to 正常增员, approved and executed', async () => {
  const { current } = months();
  const hr = await newPage(stack.browser, DESKTOP);
  await signIn(hr, stack.base, 'li.hr');
  await enterBackPayment(hr);
  await hr.getByTestId('submit-request').click();
  await hr.getByTestId('confirm-submit').click();
  await hr.waitForURL(/\/enrollments\/req-[0-9a-f]+$/);
  const url = hr.url();
  await hr.getByTestId('state-badge').filter({ hasText: '待审核' }).waitFor();

  const lead = await newPage(stack.browser, DESKTOP);
  await signIn(lead, stack.base, 'wang.lead', { path: '/enrollments?state=submitted' });
  await lead.getByTestId('request-row').first().waitFor();
  await screenshot(lead, 'enrollments-queue-desktop');
  await lead.goto(url);
  await lead.getByTestId('price-breakdown').waitFor();
  await act(lead, 'approve', '已批准');
  await lead.getByTestId('countdown').waitFor();
  await screenshot(lead, 'enrollment-approved-desktop');
  // The reviewer sees the mistake before execution and takes the approval back.
  await act(lead, 'revoke', '待审核');

  await hr.reload();
  await hr.getByTestId('edit-request').click();
  await hr.getByTestId('request-form').waitFor();
  await hr.getByTestId('kind-enrollment').click();
  await hr.getByTestId('field-from_month').fill(current);
  await hr.getByTestId('price-breakdown').waitFor();
  await hr.getByTestId('submit-request').click();
  await hr.getByTestId('confirm-dialog').waitFor();
  assert.match(await hr.getByTestId('confirm-text').textContent(), /正常增员/);
  await hr.getByTestId('confirm-submit').click();
  await hr.waitForURL(url);

  await lead.reload();
  const changed = lead.getByTestId('changes-since-review');
  await changed.waitFor();
  assert.match(await changed.textContent(), /补缴\s*→\s*正常增员/);
  await act(lead, 'approve', '已批准');
  await act(lead, 'execute', '已执行');
  await lead.getByTestId('revocation-form-link').waitFor();
  const expected = ['创建申报', '提交审核', '批准', '撤回批准', '修改申报', '批准', '要求立即报送', '开始报送', '社保局受理'];
  await lead.getByTestId('timeline-entry').nth(expected.length - 1).waitFor();
  await screenshot(lead, 'enrollment-executed-desktop');

  const steps = await lead.getByTestId('timeline-entry').allTextContents();
  assert.equal(steps.length, expected.length, steps.join('\n'));
  expected.forEach((label, i) => assert.ok(steps[i].includes(label), `step ${i}: ${steps[i]}`));

  const items = await requestsOf(hr, EMPLOYEE);
  assert.equal(items.length, 1);
  assert.equal(items[0].kind, 'enrollment');
  assert.equal(items[0].state, 'executed');

  // The printable revocation form of the executed item.
  await lead.getByTestId('revocation-form-link').click();
  await lead.getByTestId('rev-receipt').waitFor();
  assert.match(await lead.getByTestId('rev-receipt').textContent(), /SIM/);
  await screenshot(lead, 'revocation-form-desktop');

  // A revocation at the bureau is asked by the specialist and decided by the supervisor.
  await hr.goto(url);
  await hr.getByTestId('action-request-revocation').click();
  await hr.getByTestId('action-reason').fill('误报，员工未到岗');
  await hr.getByTestId('action-confirm').click();
  await hr.getByTestId('state-badge').filter({ hasText: '撤销待审核' }).waitFor();
  assert.equal(await hr.getByTestId('action-approve-revocation').count(), 0, 'the asker never decides');
  await lead.goto(url);
  await lead.getByTestId('action-approve-revocation').waitFor();
  await lead.getByTestId('timeline-entry').first().waitFor();
  await screenshot(lead, 'enrollment-revocation-review-desktop');
  await act(lead, 'approve-revocation', '已在社保局撤销');
  assert.match(await lead.getByTestId('bureau-answer').textContent(), /模拟社保局/);
  await hr.close();
  await lead.close();
});

test('a filing the bureau refuses is an alert on the maker\'s console home', async () => {
  const admin = await newPage(stack.browser, DESKTOP);
  await signIn(admin, stack.base, 'admin');
  const sim = await admin.request.put(`${stack.base}/api/bureau-simulator`, {
    headers: { Origin: stack.base },
    data: { fail_next: 0, fail_percent: 0, refuse_next: 1 },
  });
  assert.equal(sim.status(), 200);
  const { current } = months();
  const hr = await newPage(stack.browser, DESKTOP);
  await signIn(hr, stack.base, 'li.hr');
  const created = await hr.request.post(`${stack.base}/api/enrollments`, {
    headers: { Origin: stack.base },
    data: {
      kind: 'enrollment', employee_id: 'emp-0013', insurance_types: ['pension'], base: '10000',
      from_month: current, to_month: current, submit: true,
    },
  });
  assert.equal(created.status(), 201);
  const request = await created.json();
  const lead = await newPage(stack.browser, DESKTOP);
  await signIn(lead, stack.base, 'wang.lead');
  const approved = await lead.request.post(`${stack.base}/api/enrollments/${request.id}/approve`, {
    headers: { Origin: stack.base },
    data: { version: request.version },
  });
  assert.equal(approved.status(), 200);
  const sent = await lead.request.post(`${stack.base}/api/enrollments/${request.id}/execute`, {
    headers: { Origin: stack.base },
    data: { version: (await approved.json()).version },
  });
  assert.equal((await sent.json()).state, 'filing_refused');

  await hr.goto(`${stack.base}/`);
  const alert = hr.getByTestId('alert').first();
  await alert.waitFor();
  assert.match(await alert.textContent(), /社保局退回了申请：模拟社保局：申报材料不完整/);
  await screenshot(hr, 'console-home-alert-desktop');
  await alert.getByRole('link').click();
  await hr.getByTestId('state-badge').filter({ hasText: '社保局退回' }).waitFor();
  await hr.getByTestId('action-submit').waitFor();
  for (const page of [admin, hr, lead]) await page.close();
});

test('enrollment pages at phone size', async () => {
  const page = await newPage(stack.browser, PHONE);
  await signIn(page, stack.base, 'li.hr');
  await page.getByTestId('console-home').waitFor();
  await screenshot(page, 'console-home-phone');
  await enterBackPayment(page);
  await screenshot(page, 'enrollment-form-phone');
  await page.getByTestId('submit-request').click();
  await page.getByTestId('confirm-dialog').waitFor();
  await screenshot(page, 'enrollment-confirm-phone');
  await page.getByTestId('confirm-cancel').click();
  await page.goto(`${stack.base}/enrollments`);
  await page.getByTestId('state-tabs').waitFor();
  await screenshot(page, 'enrollments-phone');
  const { previous } = months();
  const r = await page.request.post(`${stack.base}/api/enrollments`, {
    headers: { Origin: stack.base }, // as the app's own fetch sends it
    data: {
      kind: 'back_payment', employee_id: 'emp-0012', insurance_types: ['pension', 'medical'], base: '12000',
      from_month: previous, to_month: previous, reason: '漏报', submit: true,
    },
  });
  assert.equal(r.status(), 201);
  await page.goto(`${stack.base}/enrollments/${(await r.json()).id}`);
  await page.getByTestId('timeline-entry').nth(1).waitFor();
  await screenshot(page, 'enrollment-detail-phone');
  await page.close();
});

test('free text typed by users is shown as text, never as markup', async () => {
  const { previous } = months();
  const page = await newPage(stack.browser, DESKTOP);
  await signIn(page, stack.base, 'li.hr');
  const reason = '<b data-testid="xss">漏报</b>';
  const r = await page.request.post(`${stack.base}/api/enrollments`, {
    headers: { Origin: stack.base }, // as the app's own fetch sends it
    data: {
      kind: 'back_payment', employee_id: 'emp-0011', insurance_types: ['pension'], base: '10000',
      from_month: previous, to_month: previous, reason, submit: false,
    },
  });
  assert.equal(r.status(), 201);
  const { id } = await r.json();
  await page.goto(`${stack.base}/enrollments/${id}`);
  await page.getByTestId('request-summary').waitFor();
  assert.equal(await page.getByTestId('xss').count(), 0);
  assert.match(await page.getByTestId('request-summary').textContent(), /<b data-testid="xss">漏报<\/b>/);
  await page.goto(`${stack.base}/enrollments?state=draft`);
  await page.getByTestId('request-row').first().waitFor();
  assert.equal(await page.getByTestId('xss').count(), 0);
  await page.close();
});
