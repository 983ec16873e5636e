// The month's story on the demo clock (two days before 深圳分公司's deadline): the director
// sees 深圳 in red with its countdown and alert level; finance sends 北京's run back, HR
// confirms it, finance approves it over budget with a reason and submits it; it is paid and
// archived, and 张三 sees the month with its receipt on his phone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { residentId } from './roster_files.mjs';
import { DESKTOP, PHONE, newPage, screenshot, signIn, useStack } from './stack.mjs';

const stack = useStack({ demoClock: true });

function month() {
  // The demo clock stays in the real month (see xtask's seed::demo_today).
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 7);
}

function nextMonth() {
  const [y, m] = month().split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

async function post(page, path, data) {
  const r = await page.request.post(`${stack.base}${path}`, { headers: { Origin: stack.base }, data });
  assert.ok(r.ok(), `${path}: ${r.status()} ${await r.text()}`);
  return r.json();
}

test('the director sees each branch this month: 深圳 in red with its countdown and alert level', async () => {
  for (const [label, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    const page = await newPage(stack.browser, viewport);
    await signIn(page, stack.base, 'director', { path: '/dashboard' });
    const shenzhen = page.getByTestId('branch-br-shenzhen');
    await shenzhen.waitFor();
    assert.match(await shenzhen.getAttribute('class'), /\bdanger\b/);
    assert.equal(await shenzhen.getByTestId('countdown').textContent(), '距离社保缴费截止日还有 2 天');
    assert.match(await shenzhen.getByTestId('alert-level').textContent(), /一级|1/);
    assert.equal(await shenzhen.getByTestId('progress').textContent(), '待人事确认');
    const beijing = page.getByTestId('branch-br-beijing');
    assert.match(await beijing.getAttribute('class'), /\bwaiting\b/);
    assert.equal(await beijing.getByTestId('progress').textContent(), '待财务审批');
    const shanghai = page.getByTestId('branch-br-shanghai');
    assert.match(await shanghai.getAttribute('class'), /\bok\b/);
    assert.match(await page.getByTestId('simulated-clock').textContent(), /演示时钟/);
    await screenshot(page, `dashboard-${label}`);
    await page.close();
  }
});

test('HR confirms, finance approves over budget with a reason, the run is paid and archived; 张三 sees it', async () => {
  const id = `run-br-beijing-${month()}`;
  const finance = await newPage(stack.browser, DESKTOP);
  await signIn(finance, stack.base, 'zhao.fin', { path: `/runs/${id}` });
  await finance.getByTestId('run-page').waitFor();
  assert.equal(await finance.getByTestId('run-state').textContent(), '待财务审批');
  await finance.getByTestId('run-lines').waitFor();
  assert.ok((await finance.getByTestId('run-line').count()) > 0);
  const [file] = await Promise.all([finance.waitForEvent('download'), finance.getByTestId('export-lines').click()]);
  assert.equal(file.suggestedFilename(), `缴费明细-北京分公司-${month()}.xlsx`);
  // Sending back needs a reason.
  await finance.getByTestId('run-action-reject').click();
  await finance.getByTestId('reason-missing').waitFor();
  await finance.getByTestId('run-reason').fill('请核对新入职员工的基数');
  await finance.getByTestId('run-action-reject').click();
  await finance.getByText('待人事确认').first().waitFor();

  const hr = await newPage(stack.browser, DESKTOP);
  await signIn(hr, stack.base, 'li.hr', { path: `/runs/${id}` });
  await hr.getByTestId('run-action-confirm').click();
  await hr.getByTestId('run-action-confirm').waitFor({ state: 'detached' });
  assert.equal(await hr.getByTestId('run-state').textContent(), '待财务审批');
  await hr.close();

  await finance.reload();
  await finance.getByTestId('over-budget').waitFor();
  await screenshot(finance, 'run-over-budget-desktop');
  await finance.getByTestId('run-action-approve').click();
  await finance.getByTestId('reason-missing').waitFor();
  await finance.getByTestId('run-reason').fill('新员工入职，已与总部确认');
  await finance.getByTestId('run-action-approve').click();
  await finance.getByTestId('run-action-submit').click();
  await finance.getByTestId('receipt-no').waitFor();
  assert.equal(await finance.getByTestId('run-state').textContent(), '已归档');
  const receipt = (await finance.getByTestId('receipt-no').textContent()).trim();
  await screenshot(finance, 'run-archived-desktop');
  const phoneRun = await newPage(stack.browser, PHONE);
  await signIn(phoneRun, stack.base, 'zhao.fin', { path: `/runs/${id}` });
  await phoneRun.getByTestId('receipt-no').waitFor();
  await screenshot(phoneRun, 'run-archived-phone');
  await phoneRun.close();
  await finance.close();

  const zhangsan = await newPage(stack.browser, PHONE);
  await signIn(zhangsan, stack.base, 'zhangsan', { path: '/me' });
  const row = zhangsan.getByTestId(`contribution-${month()}`);
  await row.waitFor();
  assert.match(await row.textContent(), new RegExp(receipt));
  assert.equal(await row.getByTestId('contribution-status').textContent(), '正常');
  assert.ok((await zhangsan.getByTestId('contributions').locator('details').count()) >= 7, 'a full history');
  await screenshot(zhangsan, 'me-contributions-phone');
  await zhangsan.getByTestId('bell-count').waitFor();
  await zhangsan.getByTestId('bell').click();
  await zhangsan.getByTestId('notification').first().waitFor();
  assert.match(await zhangsan.getByTestId('notification').first().textContent(), new RegExp(receipt));
  await screenshot(zhangsan, 'notifications-phone');
  await zhangsan.close();
});

test('finance sets a branch\'s monthly budget on the dashboard', async () => {
  const page = await newPage(stack.browser, PHONE);
  await signIn(page, stack.base, 'zhao.fin', { path: '/dashboard' });
  const card = page.getByTestId('branch-br-shenzhen');
  await card.waitFor();
  await card.getByTestId('budget-input-br-shenzhen').fill('0');
  await card.getByTestId('budget-save-br-shenzhen').click();
  await card.getByTestId('budget-error').waitFor();
  await card.getByTestId('budget-input-br-shenzhen').fill('200,000');
  await card.getByTestId('budget-save-br-shenzhen').click();
  await page.getByTestId('branch-br-shenzhen').getByTestId('budget').filter({ hasText: '¥200,000.00' }).waitFor();
  await screenshot(page, 'dashboard-finance-phone');
  await page.close();
});

test('alerts and what the local provider would have sent', async () => {
  const hr = await newPage(stack.browser, DESKTOP);
  await signIn(hr, stack.base, 'director', { path: '/alerts' });
  await hr.getByTestId('alert-row').first().waitFor();
  await screenshot(hr, 'alerts-desktop');
  await hr.close();
  const admin = await newPage(stack.browser, DESKTOP);
  await signIn(admin, stack.base, 'admin', { path: '/admin/messages' });
  await admin.getByText('本地模拟').first().waitFor();
  await screenshot(admin, 'messages-desktop');
  await admin.close();
});

test('a run of 21 employees shows them a page of 20 at a time, each on one row with its types side by side', async () => {
  const hr = await newPage(stack.browser, DESKTOP);
  await signIn(hr, stack.base, 'li.hr', { path: '/dashboard' });
  // 北京's twentieth-first employee, then next month's run.
  await post(hr, '/api/employees', {
    name: '翻页员工', resident_id: residentId('11010519900101777'), branch_id: 'br-beijing', department: '研发部',
    phone: '13800138000', email: '', hire_date: `${month()}-01`, salary: '15000',
  });
  const id = `run-br-beijing-${nextMonth()}`;
  await post(hr, '/api/runs', { branch_id: 'br-beijing', period: nextMonth() });
  await hr.goto(`${stack.base}/runs/${id}`);
  await hr.getByTestId('run-state').filter({ hasText: '待人事确认' }).waitFor();
  const rows = hr.getByTestId('run-line');
  await rows.first().waitFor();
  assert.equal(await rows.count(), 20);
  assert.equal(await hr.getByTestId('lines-shown').textContent(), '已显示 20 人');
  const head = await hr.getByTestId('run-lines').locator('thead').textContent();
  for (const type of ['养老', '医疗', '失业', '工伤']) assert.match(head, new RegExp(type));
  await hr.getByTestId('more-lines').click();
  await hr.getByTestId('lines-shown').filter({ hasText: '已显示 21 人' }).waitFor();
  assert.equal(await rows.count(), 21);
  assert.equal(await hr.getByTestId('more-lines').count(), 0, 'the last page: no more to load');
  assert.match(await rows.last().textContent(), /翻页员工/);
  // The new hire is the month's change.
  assert.match(await hr.getByTestId('run-changes').textContent(), /翻页员工[\s\S]*新增/);
  await screenshot(hr, 'run-lines-desktop');
  await hr.setViewportSize(PHONE);
  await screenshot(hr, 'run-lines-phone');
  await hr.close();
});
