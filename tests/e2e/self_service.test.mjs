// 张三's self-service on his phone: his month at a glance, a new bank card and a base review
// asked for, HR deciding them in the console, the card on his record only once approved;
// then a proof of contributions whose link anyone can open, signed in or not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DESKTOP, PHONE, newPage, screenshot, signIn, useStack } from './stack.mjs';

const stack = useStack();

function lastMonth() {
  const now = new Date(Date.now() + 8 * 3600 * 1000);
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
}

test('a bank card and a base review go through HR, and take effect only when approved', async () => {
  const zhangsan = await newPage(stack.browser, PHONE, { hasTouch: true, isMobile: true });
  await signIn(zhangsan, stack.base, 'zhangsan');
  // 北京's last month was never paid: the glance says so before the list.
  await zhangsan.getByTestId('me-glance').waitFor();
  assert.match(await zhangsan.getByTestId('glance-unpaid').textContent(), new RegExp(lastMonth()));
  await screenshot(zhangsan, 'me-glance-phone');

  await zhangsan.getByTestId('me-changes').click();
  await zhangsan.getByTestId('change-form').waitFor();
  await zhangsan.getByTestId('changes-empty').waitFor();
  await zhangsan.getByTestId('change-kind-bank_card').click();
  assert.equal(await zhangsan.getByTestId('current-bank_card').textContent(), '当前：6222 **** **** 3446');
  // A number that fails the check digit is refused as typed, and nothing is sent.
  await zhangsan.getByTestId('change-bank_card').fill('6217 0000 1001 2345 678');
  await zhangsan.getByTestId('change-submit').click();
  await zhangsan.getByTestId('error-bank_card').waitFor();
  assert.equal(await zhangsan.getByTestId('changes-empty').count(), 1);
  await zhangsan.getByTestId('change-bank_card').fill('6217 0000 1001 2345 677');
  await zhangsan.getByTestId('error-bank_card').waitFor({ state: 'detached' });
  await zhangsan.getByTestId('change-submit').click();
  await zhangsan.getByTestId('change-sent').waitFor();
  const card = zhangsan.locator('[data-testid^="change-chq"]').first();
  await card.waitFor();
  assert.match(await card.getByTestId('change-summary').textContent(), /6217 \*\*\*\* \*\*\*\* 5677/);
  assert.equal(await card.getByTestId('change-state').textContent(), '待人事审核');

  await zhangsan.getByTestId('change-kind-base_review').click();
  await zhangsan.getByTestId('change-reason').fill('太短');
  await zhangsan.getByTestId('change-submit').click();
  await zhangsan.getByTestId('error-reason').waitFor();
  await zhangsan.getByTestId('change-reason').fill('今年工资调整后基数没有变化，请核对');
  await zhangsan.getByTestId('change-submit').click();
  await zhangsan.locator('[data-testid^="change-chq"]').nth(1).waitFor();
  await screenshot(zhangsan, 'changes-phone');

  // Not on his record before HR decides.
  await zhangsan.goto(`${stack.base}/me`);
  await zhangsan.getByTestId('profile').waitFor();
  assert.doesNotMatch(await zhangsan.getByTestId('profile').textContent(), /5677/);

  const hr = await newPage(stack.browser, DESKTOP);
  await signIn(hr, stack.base, 'li.hr', { path: '/changes?state=pending' });
  await hr.getByTestId('changes-list').waitFor();
  const cardRequest = hr.locator('[data-testid^="change-chq"]', { hasText: '银行卡' });
  const review = hr.locator('[data-testid^="change-chq"]', { hasText: '基数' });
  await cardRequest.getByTestId('change-approve').click();
  await cardRequest.getByTestId('change-decision').waitFor();
  assert.match(await cardRequest.getByTestId('change-state').textContent(), /已通过/);
  // Rejecting needs a reason.
  await review.getByTestId('change-reject').click();
  await review.getByTestId('decision-error').waitFor();
  await review.getByTestId('decision-reason').fill('已核对工资记录，基数无误');
  await review.getByTestId('change-reject').click();
  await review.getByTestId('change-decision').waitFor();
  assert.equal(await review.getByTestId('change-state').textContent(), '未通过');
  await screenshot(hr, 'changes-review-desktop');
  // The decided ones are under their tabs, the link keeping the tab.
  await hr.getByTestId('state-tab-rejected').click();
  await hr.waitForURL(/state=rejected/);
  await hr.locator('[data-testid^="change-chq"]', { hasText: '基数' }).waitFor();
  await hr.close();

  await zhangsan.reload();
  await zhangsan.getByTestId('profile').waitFor();
  assert.match(await zhangsan.getByTestId('profile').textContent(), /6217 \*\*\*\* \*\*\*\* 5677/);
  await zhangsan.goto(`${stack.base}/me/changes`);
  await zhangsan.getByTestId('change-decision').first().waitFor();
  assert.match(await zhangsan.getByTestId('changes-list').textContent(), /已核对工资记录，基数无误/);
  await zhangsan.close();
});

test('a proof of contributions is issued on the phone and checked by its link without signing in', async () => {
  const zhangsan = await newPage(stack.browser, PHONE, { hasTouch: true, isMobile: true });
  await signIn(zhangsan, stack.base, 'zhangsan');
  await zhangsan.getByTestId('me-proof').click();
  await zhangsan.getByTestId('proof-issue').click();
  await zhangsan.getByTestId('proof').waitFor();
  const link = await zhangsan.getByTestId('proof-link').inputValue();
  assert.match(link, new RegExp(`^${stack.base}/proof/[0-9a-f]{32}$`));
  assert.match(await zhangsan.getByTestId('proof-summary').textContent(), /断缴 [1-9]\d* 个月/);
  assert.match(await zhangsan.getByTestId('proof-resident_id').textContent(), /\*{6}/);
  await zhangsan.getByTestId('proof-copy').click();
  await zhangsan.getByTestId('proof-copied').waitFor();
  await screenshot(zhangsan, 'proof-phone');
  await zhangsan.close();

  // Whoever gets the link: no session, phone and desktop.
  for (const [viewport, name] of [[PHONE, 'proof-public-phone'], [DESKTOP, 'proof-public-desktop']]) {
    const anyone = await newPage(stack.browser, viewport);
    await anyone.goto(link);
    await anyone.getByTestId('proof-valid').waitFor();
    assert.equal(await anyone.getByTestId('proof-name').textContent(), '张三');
    assert.equal(await anyone.locator(`[data-testid="proof-month-${lastMonth()}"]`).count(), 1);
    assert.equal(await anyone.getByTestId('who').count(), 0, 'not signed in');
    await screenshot(anyone, name);
    await anyone.goto(`${stack.base}/proof/${'0'.repeat(32)}`);
    await anyone.getByTestId('proof-invalid').waitFor();
    await anyone.close();
  }
});
