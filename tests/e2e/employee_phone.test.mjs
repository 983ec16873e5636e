// 张三 on his phone sees his own record and nobody else's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DESKTOP, PHONE, newPage, screenshot, signIn, useStack } from './stack.mjs';

const stack = useStack();

test('张三 sees only his own profile on a 390×844 phone', async () => {
  const page = await newPage(stack.browser, PHONE, { isMobile: true, hasTouch: true });
  await signIn(page, stack.base, 'zhangsan');
  await page.waitForURL(/\/me$/);
  await page.getByTestId('profile').waitFor();
  assert.equal(await page.getByTestId('emp.name').textContent(), '张三');
  assert.match(await page.getByTestId('emp.resident_id').textContent(), /^\d{4}\*{10}\d{3}[\dX]$/);
  // His own birth date is his own data.
  assert.match(await page.getByTestId('emp.birth_gender').textContent(), /^\d{4}-\d{2}-\d{2} · 男$/);
  assert.equal(await page.getByTestId('nav-employees').count(), 0, 'no console navigation');
  await screenshot(page, 'me-phone');

  // Typing the HR list's address shows a refusal, not the list.
  await page.goto(`${stack.base}/employees`);
  await page.getByTestId('error').waitFor();
  assert.match(await page.getByTestId('error').textContent(), /没有权限/);
  assert.equal(await page.getByTestId('employee-row').count(), 0);
  const other = await page.request.get(`${stack.base}/api/employees/emp-0002`);
  assert.equal(other.status(), 403);
  await page.close();

  const desktop = await newPage(stack.browser, DESKTOP);
  await signIn(desktop, stack.base, 'zhangsan');
  await desktop.getByTestId('profile').waitFor();
  await screenshot(desktop, 'me-desktop');
  await desktop.close();
});
