// The release build is split into lazily loaded chunks (one per page, plus shared parts):
// what each audience downloads stays within its budget, every route opens cleanly by deep
// link and by navigation, and a chunk that fails to arrive is retried, then explained.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KB, report, settle, total, watch } from './downloads.mjs';
import { DESKTOP, PHONE, newPage, screenshot, signIn, useStack } from './stack.mjs';

const stack = useStack();

test('employee on a phone: login page to 我的社保 within 200 KB', async () => {
  const page = await newPage(stack.browser, PHONE, { isMobile: true, hasTouch: true });
  const w = watch(page);
  await signIn(page, stack.base, 'zhangsan');
  await page.getByTestId('profile').waitFor();
  await settle(page);
  const list = [...w.assets];
  report('employee, login → 我的社保', list);
  assert.deepEqual(w.problems, []);
  assert.ok(list.some(([p]) => p.endsWith('.wasm')) && list.some(([p]) => p.endsWith('.css')));
  assert.ok(!list.some(([p]) => /console_home|lazy_(employee|enrollment|revocation)/.test(p)), 'no console page is downloaded for an employee');
  assert.ok(total(list) <= 200 * KB, `employee download ${total(list)} B exceeds 200 KB`);

  // Hashed folder names: the assets are cached for a year.
  const cached = await page.request.get(`${stack.base}${list.find(([p]) => p.endsWith('.wasm'))[0]}`);
  assert.match(cached.headers()['cache-control'] ?? '', /max-age=31536000/);
  await page.close();
});

test('HR console: login page to the console home within 400 KB; every page loads its own chunk', async () => {
  const page = await newPage(stack.browser, DESKTOP);
  const w = watch(page);
  await signIn(page, stack.base, 'li.hr');
  await page.getByTestId('console-home').waitFor();
  await settle(page);
  const first = w.fresh();
  report('HR, login → console home', first);
  assert.ok(total(first) <= 400 * KB, `console download ${total(first)} B exceeds 400 KB`);
  assert.ok(first.some(([p]) => p.includes('split_console_home')), 'the console home is its own chunk');

  const made = await page.request.post(`${stack.base}/api/enrollments`, {
    headers: { Origin: stack.base },
    data: { kind: 'back_payment', employee_id: 'emp-0012', insurance_types: ['pension', 'medical'], base: '12000', from_month: lastMonth(), to_month: lastMonth(), reason: '入职时漏报', submit: false },
  });
  assert.equal(made.status(), 201, await made.text());
  const id = (await made.json()).id;

  // By navigation: router links only, each page's chunk arrives when it is first opened.
  const steps = [
    ['员工', () => page.getByTestId('nav-employees').click(), 'employee-table', 'lazy_employee_list'],
    ['员工详情', () => page.locator('[data-testid=employee-row] a').first().click(), 'profile', 'lazy_employee_detail_page'],
    ['编辑员工', () => page.getByTestId('edit-employee').click(), 'employee-form', 'lazy_employee_edit'],
    ['申请', () => page.getByTestId('nav-enrollments').click(), 'request-table', 'lazy_enrollment_list'],
    ['申请详情', () => page.locator(`a[href="/enrollments/${id}"]`).first().click(), 'request-summary', 'lazy_enrollment_detail_page'],
    ['修改申请', () => page.getByTestId('edit-request').click(), 'request-form', 'lazy_enrollment_edit'],
    ['申请', () => page.getByTestId('nav-enrollments').click(), 'request-table', null],
    ['新申请', () => page.getByTestId('new-request').click(), 'request-form', 'lazy_enrollment_new'],
    ['员工', () => page.getByTestId('nav-employees').click(), 'employee-table', null],
    ['新员工', () => page.getByTestId('new-employee').click(), 'employee-form', 'lazy_employee_new'],
  ];
  for (const [name, go, testid, chunk] of steps) {
    await go();
    await page.getByTestId(testid).first().waitFor();
    await settle(page);
    const fresh = w.fresh();
    report(`→ ${name} (${new URL(page.url()).pathname})`, fresh);
    if (chunk) assert.ok(fresh.some(([p]) => p.includes(chunk)), `${name} loads its chunk ${chunk}`);
    else assert.deepEqual(fresh, [], `${name} again downloads nothing`);
  }
  // Back and forward go through the router too.
  await page.goBack();
  await page.getByTestId('employee-table').waitFor();
  await page.goForward();
  await page.getByTestId('employee-form').waitFor();
  assert.deepEqual(w.problems, []);

  // By deep link: a cold page per route, signed in through the shared cookie.
  const routes = [
    ['/', 'console-home'],
    ['/employees', 'employee-table'],
    ['/employees/new', 'employee-form'],
    ['/employees/emp-0001', 'profile'],
    ['/employees/emp-0001/edit', 'employee-form'],
    ['/enrollments', 'request-table'],
    ['/enrollments?state=draft', 'request-table'],
    ['/enrollments/new', 'request-form'],
    [`/enrollments/${id}`, 'request-summary'],
    [`/enrollments/${id}/edit`, 'request-form'],
    [`/enrollments/${id}/revocation-form`, 'not-executed'],
    ['/settings', 'settings-form'],
    ['/changes?state=all', 'change-review'],
    ['/help', 'help-desk'],
    ['/help/faq', 'faq-list'],
    ['/no/such/page', 'not-found'],
  ];
  const signedIn = await page.context().storageState();
  for (const [path, testid] of routes) {
    const deep = await newPage(stack.browser, DESKTOP, { storageState: signedIn });
    const dw = watch(deep);
    await deep.goto(stack.base + path);
    await deep.getByTestId(testid).first().waitFor();
    await settle(deep);
    console.log(`  deep link ${path}: ${(total([...dw.assets]) / KB).toFixed(1)} KB brotli in ${dw.assets.size} files`);
    assert.deepEqual(dw.problems, [], `deep link ${path}`);
    if (path === `/enrollments/${id}`) await screenshot(deep, 'split-request-detail-desktop');
    await deep.close();
  }
  await page.close();
});

test('employee routes by deep link and after signing out', async () => {
  const page = await newPage(stack.browser, PHONE, { isMobile: true, hasTouch: true });
  const w = watch(page);
  await signIn(page, stack.base, 'zhangsan', { path: '/me' });
  await page.getByTestId('profile').waitFor();
  for (const path of ['/', '/me']) {
    await page.goto(stack.base + path);
    await page.getByTestId('profile').waitFor();
    await settle(page);
    assert.equal(new URL(page.url()).pathname, '/me');
  }
  for (const [path, testid] of [['/me/changes', 'change-form'], ['/me/proof', 'proof-issue'], ['/help', 'help-page'], ['/claims/new', 'claim-form']]) {
    await page.goto(stack.base + path);
    await page.getByTestId(testid).waitFor();
    await settle(page);
  }
  // A proof's link opens for anyone: the app without a session.
  const anyone = await newPage(stack.browser, PHONE);
  await anyone.goto(`${stack.base}/proof/${'f'.repeat(32)}`);
  await anyone.getByTestId('proof-invalid').waitFor();
  await anyone.close();
  await page.getByTestId('logout').click();
  await page.getByTestId('login-form').waitFor();
  await page.goBack();
  await page.getByTestId('login-form').waitFor();
  assert.deepEqual(w.problems, []);
  await page.close();
});

test('a chunk that fails once is fetched again; one that never arrives asks to reload', async () => {
  const page = await newPage(stack.browser, DESKTOP);
  const w = watch(page);
  await signIn(page, stack.base, 'li.hr');
  await page.getByTestId('console-home').waitFor();

  let aborted = 0;
  await page.route(/split___lazy_employee_list/, (route) => (aborted++ === 0 ? route.abort() : route.continue()));
  await page.getByTestId('nav-employees').click();
  await page.getByTestId('employee-table').waitFor();
  assert.equal(aborted, 2, 'one aborted fetch, then the retry');
  // The aborted fetch itself is the only problem.
  assert.deepEqual(w.problems.filter((p) => !p.includes('split___lazy_employee_list') && !p.includes('net::ERR_FAILED')), []);
  assert.equal(w.problems.length, 2);

  const never = /split___lazy_enrollment_list/;
  await page.route(never, (route) => route.abort());
  await page.getByTestId('nav-enrollments').click();
  const notice = page.getByTestId('app-failed');
  await notice.waitFor();
  assert.match(await notice.textContent(), /加载失败/);
  await screenshot(page, 'chunk-failed-desktop');
  await page.unroute(never);
  // The navigation never happened (the router moves once the page's code is there), so the
  // reload shows the page the user was on, working again.
  await page.getByTestId('app-reload').click();
  await page.getByTestId('employee-table').waitFor();
  assert.equal(await notice.count(), 0);
  await page.getByTestId('nav-enrollments').click();
  await page.getByTestId('state-tabs').waitFor();
  await page.close();
});

/** Last month in China (UTC+8), "YYYY-MM". */
function lastMonth() {
  const d = new Date(Date.now() + 8 * 3600e3);
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}
