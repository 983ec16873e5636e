// 小李 (HR specialist) enters a new employee: a wrong check digit is caught under the field
// and nothing is saved; corrected, it saves, shows in the list and on its timeline.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { DESKTOP, PHONE, newPage, screenshot, signIn, useStack } from './stack.mjs';

const stack = useStack();

const WRONG_ID = '110105199003071230'; // check digit should be 9
const RIGHT_ID = '110105199003071239';

async function countByName(page, name) {
  const r = await page.request.get(`${stack.base}/api/employees?q=${encodeURIComponent(name)}`);
  assert.equal(r.status(), 200);
  return (await r.json()).items.length;
}

test('HR specialist: a wrong check digit is stopped at the field, the corrected record is saved and audited', async () => {
  const page = await newPage(stack.browser, DESKTOP);
  await page.goto(`${stack.base}/`);
  await page.getByTestId('login-form').waitFor();
  await screenshot(page, 'login-desktop');
  await signIn(page, stack.base, 'li.hr', { path: '/employees' });

  await page.getByTestId('employee-table').waitFor();
  assert.equal(await page.getByTestId('employee-row').count(), 20, 'the Beijing branch, one page');
  assert.ok(await page.getByTestId('next-page').isDisabled(), 'no page after');
  await screenshot(page, 'employees-desktop');
  // The list as Excel: a real download, named in Chinese (its content is checked in tests/tests/exports.rs).
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-employees').click()]);
  assert.match(file.suggestedFilename(), /^员工名单-\d{4}-\d{2}-\d{2}\.xlsx$/);
  assert.ok((await readFile(await file.path())).subarray(0, 2).equals(Buffer.from('PK')), 'an .xlsx (a zip)');
  // So do the requests and the claims, as their tabs show them.
  for (const [nav, button, name] of [
    ['nav-enrollments', 'export-requests', /^社保申请-\d{4}-\d{2}-\d{2}\.xlsx$/],
    ['nav-claims', 'export-claims', /^医疗报销-\d{4}-\d{2}-\d{2}\.xlsx$/],
  ]) {
    await page.getByTestId(nav).click();
    const [list] = await Promise.all([page.waitForEvent('download'), page.getByTestId(button).click()]);
    assert.match(list.suggestedFilename(), name);
    assert.ok((await readFile(await list.path())).subarray(0, 2).equals(Buffer.from('PK')), `${button}: an .xlsx`);
  }
  await page.getByTestId('nav-employees').click();

  await page.getByTestId('new-employee').click();
  await page.getByTestId('employee-form').waitFor();
  await page.getByTestId('field-name').fill('王小明');
  await page.getByTestId('field-resident_id').fill(WRONG_ID);
  await page.getByTestId('field-phone').fill('13800138000');
  await page.getByTestId('field-hire_date').fill('2026-11-01');
  await page.getByTestId('field-salary').fill('18000');
  const idError = page.getByTestId('error-resident_id');
  await idError.waitFor();
  assert.match(await idError.textContent(), /校验位不正确/);
  await page.getByTestId('save').click();
  await screenshot(page, 'employee-form-error-desktop');
  assert.match(page.url(), /\/employees\/new$/, 'the form stays open');
  assert.equal(await countByName(page, '王小明'), 0, 'nothing was saved');

  await page.getByTestId('field-resident_id').fill(RIGHT_ID);
  await idError.waitFor({ state: 'detached' });
  assert.match(await page.getByTestId('id-derived').textContent(), /1990-03-07 · 男/);
  await page.getByTestId('save').click();

  await page.getByTestId('employee-name').waitFor();
  assert.equal(await page.getByTestId('employee-name').textContent(), '王小明');
  assert.match(page.url(), /\/employees\/emp-[0-9a-f]+$/);
  const entry = page.getByTestId('timeline-entry').first();
  await entry.waitFor();
  assert.match(await entry.textContent(), /创建员工档案/);
  assert.match(await entry.textContent(), /李娜/);
  assert.match(await entry.textContent(), /1101\*{10}1239/);
  await screenshot(page, 'employee-detail-desktop');

  await page.goto(`${stack.base}/employees`);
  await page.getByTestId('search').fill('王小明');
  await page.getByTestId('search').press('Enter');
  await page.waitForURL(/q=/);
  await page.getByTestId('employee-row').first().waitFor();
  assert.equal(await page.getByTestId('employee-row').count(), 1);
  assert.match(await page.getByTestId('employee-row').textContent(), /王小明/);
  assert.equal(await countByName(page, '王小明'), 1);

  // The back button returns to the unfiltered list.
  await page.goBack();
  await page.waitForURL(/\/employees$/);
  await page.getByTestId('employee-table').waitFor();
  assert.equal(await page.getByTestId('employee-row').count(), 20);
  await page.close();
});

test('HR pages at phone size', async () => {
  const page = await newPage(stack.browser, PHONE);
  await page.goto(`${stack.base}/`);
  await page.getByTestId('login-form').waitFor();
  await screenshot(page, 'login-phone');
  await signIn(page, stack.base, 'li.hr', { path: '/employees' });
  await page.getByTestId('employee-table').waitFor();
  await screenshot(page, 'employees-phone');
  await page.goto(`${stack.base}/employees/new`);
  await page.getByTestId('field-resident_id').fill(WRONG_ID);
  await page.getByTestId('error-resident_id').waitFor();
  await screenshot(page, 'employee-form-error-phone');
  await page.goto(`${stack.base}/employees/emp-0001`);
  await page.getByTestId('timeline').waitFor();
  await screenshot(page, 'employee-detail-phone');
  await page.close();
});

test('a deep link survives the login and the language can be switched', async () => {
  const page = await newPage(stack.browser, DESKTOP);
  await page.goto(`${stack.base}/employees/emp-0002`);
  await page.getByTestId('login-form').waitFor();
  assert.match(page.url(), /\/login\?next=%2Femployees%2Femp-0002/);
  await page.getByTestId('login').fill('wang.lead');
  await page.getByTestId('password').fill('shebao-demo');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('employee-name').waitFor();
  assert.match(page.url(), /\/employees\/emp-0002$/);
  assert.equal(await page.getByTestId('edit-employee').count(), 0, 'a supervisor cannot edit records');
  // Nor reveal IDs: the profile gives the age, not the birth date.
  assert.match(await page.getByTestId('emp.age_gender').textContent(), /^\d{2} · [男女]$/);
  assert.equal(await page.getByTestId('emp.birth_gender').count(), 0);

  await page.getByTestId('lang-switch').click();
  assert.equal(await page.getByTestId('nav-employees').textContent(), 'Employees');
  await page.getByTestId('lang-switch').click();
  assert.equal(await page.getByTestId('nav-employees').textContent(), '员工档案');
  await page.close();
});

test('HR specialist edits a record: the ID is revealed only on request, and the change is on the timeline', async () => {
  const page = await newPage(stack.browser, DESKTOP);
  await signIn(page, stack.base, 'li.hr', { path: '/employees/emp-0003' });
  await page.getByTestId('edit-employee').click();
  await page.getByTestId('employee-form').waitFor();
  assert.match(await page.getByTestId('masked-id').textContent(), /^\d{4}\*{10}\d{3}[\dX]$/);
  await page.getByTestId('reveal-id').click();
  const idField = page.getByTestId('field-resident_id');
  await idField.waitFor();
  assert.match(await idField.inputValue(), /^\d{17}[\dX]$/);

  await page.getByTestId('field-phone').fill('139');
  assert.match(await page.getByTestId('error-phone').textContent(), /11位手机号/);
  await page.getByTestId('field-phone').fill('13912345678');
  await page.getByTestId('error-phone').waitFor({ state: 'detached' });
  await screenshot(page, 'employee-edit-desktop');
  await page.getByTestId('save').click();

  await page.waitForURL(/\/employees\/emp-0003$/);
  await page.getByTestId('profile').waitFor();
  assert.equal(await page.getByTestId('emp.phone').textContent(), '13912345678');
  const entries = page.getByTestId('timeline-entry');
  await entries.nth(1).waitFor();
  assert.match(await entries.nth(0).textContent(), /查看完整身份证号/);
  assert.match(await entries.nth(1).textContent(), /修改员工档案.*手机号\s*\d{11} → 13912345678/s);
  // In English the timeline speaks English too, and a field's error message as well.
  await page.getByTestId('lang-switch').click();
  assert.match(await entries.nth(1).textContent(), /Employee record changed.*Mobile\s*\d{11} → 13912345678/s);
  assert.match(await entries.nth(0).textContent(), /Full ID number viewed/);
  await page.getByTestId('edit-employee').click();
  await page.getByTestId('field-phone').fill('139');
  const phoneError = await page.getByTestId('error-phone').textContent();
  assert.ok(phoneError && !/[\u4e00-\u9fff]/.test(phoneError), phoneError);
  await page.getByTestId('lang-switch').click();
  await page.goBack();
  await page.getByTestId('profile').waitFor();

  // Signing out ends the session: the app returns to the login and the API refuses.
  await page.getByTestId('logout').click();
  await page.getByTestId('login-form').waitFor();
  assert.equal((await page.request.get(`${stack.base}/api/me`)).status(), 401);
  await page.close();
});

// Full-width digits as a Chinese input method types them, with ideographic spaces.
const fullWidth = (s) => s.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)));

test('a 15-digit ID offers its 18-digit form; a Hong Kong permit typed full width is saved as a permit', async () => {
  const page = await newPage(stack.browser, DESKTOP);
  await signIn(page, stack.base, 'li.hr', { path: '/employees/new' });
  await page.getByTestId('employee-form').waitFor();
  const idField = page.getByTestId('field-resident_id');
  const idError = page.getByTestId('error-resident_id');

  await idField.fill('110105491231002');
  assert.equal(await idError.textContent(), '15位旧身份证号已停用，请改用18位号码：11010519491231002X');
  await screenshot(page, 'employee-form-15-digit-desktop');
  await page.getByTestId('id-suggestion').click();
  assert.equal(await idField.inputValue(), '11010519491231002X');
  await idError.waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('id-suggestion').count(), 0);
  assert.match(await page.getByTestId('id-derived').textContent(), /居民身份证 · 1949-12-31 · 女/);

  // 810000, 1988-08-08, 001 and its check digit 3: a Hong Kong resident's permit.
  const permit = '810000198808080013';
  await idField.fill(`${fullWidth(permit.slice(0, 6))}\u3000${fullWidth(permit.slice(6, 14))}\u3000${fullWidth(permit.slice(14))}`);
  assert.match(await page.getByTestId('id-derived').textContent(), /港澳居民居住证（香港） · 1988-08-08 · 男/);
  await page.getByTestId('field-name').fill('陈港生');
  assert.equal(await idField.inputValue(), permit, 'leaving the field shows the number as it is stored');
  await page.getByTestId('field-hire_date').fill('2026-11-01');
  await page.getByTestId('field-salary').fill('20000');
  await page.getByTestId('save').click();

  await page.getByTestId('employee-name').waitFor();
  assert.equal(await page.getByTestId('emp.resident_id').textContent(), '8100**********0013');
  assert.equal(await page.getByTestId('id-kind').textContent(), '港澳居民居住证（香港）');
  await screenshot(page, 'employee-detail-permit-desktop');
  await page.getByTestId('lang-switch').click();
  assert.match(await page.getByTestId('id-kind').textContent(), /^Residence permit for Hong Kong and Macao residents/);
  await page.getByTestId('lang-switch').click();
  await page.close();
});

/** The rows shown, once they are other than `before` (the table is replaced on each page). */
async function rowsOnceChanged(page, before) {
  await page.waitForFunction((prev) => {
    const rows = [...document.querySelectorAll('[data-testid=employee-row]')].map((r) => r.textContent);
    return rows.length > 0 && rows.join('\n') !== prev;
  }, before.join('\n'));
  return page.getByTestId('employee-row').allTextContents();
}

test('the director pages the group forward and back: the place is in the URL, for the back button and links', async () => {
  const page = await newPage(stack.browser, DESKTOP);
  await signIn(page, stack.base, 'director', { path: '/employees' });
  const first = await rowsOnceChanged(page, []);
  assert.equal(first.length, 20);
  assert.ok(await page.getByTestId('prev-page').isDisabled(), 'nothing before the first page');
  assert.equal(await page.getByText(/共 \d+ 人|\d+ \/ \d+/).count(), 0, 'no total is counted');

  // Forward to the last page, 20 at a time, each row once.
  const pages = [first];
  const urls = [page.url()];
  while (!(await page.getByTestId('next-page').isDisabled())) {
    await page.getByTestId('next-page').click();
    await page.waitForURL(/\/employees\?after=[0-9a-f]+$/);
    pages.push(await rowsOnceChanged(page, pages.at(-1)));
    urls.push(page.url());
    assert.ok(!(await page.getByTestId('prev-page').isDisabled()));
  }
  assert.ok(pages.length >= 4, `the group's 60 and more: ${pages.length} pages`);
  const all = pages.flat();
  assert.equal(new Set(all).size, all.length, 'no row on two pages');
  assert.ok(pages.slice(0, -1).every((p) => p.length === 20));
  await screenshot(page, 'employees-last-page-desktop');

  // The back button returns to the page before; 上一页 goes back by cursor to the one before that.
  await page.goBack();
  await page.waitForURL(urls.at(-2));
  assert.deepEqual(await rowsOnceChanged(page, pages.at(-1)), pages.at(-2));
  await page.getByTestId('prev-page').click();
  await page.waitForURL(/\/employees\?before=[0-9a-f]+$/);
  assert.deepEqual(await rowsOnceChanged(page, pages.at(-2)), pages.at(-3));

  // A link to a page shows that page; one to the first page has nothing before it.
  await page.goto(urls[1]);
  assert.deepEqual(await rowsOnceChanged(page, []), pages[1]);
  await page.getByTestId('prev-page').click();
  assert.deepEqual(await rowsOnceChanged(page, pages[1]), first);
  assert.ok(await page.getByTestId('prev-page').isDisabled(), 'back at the top');
  await page.close();
});
