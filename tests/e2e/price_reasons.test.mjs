// Why each yuan is there: the confirmation shows each insurance type's own base and says
// when the wage was clamped; a base adjustment shows the old and the new base and charges
// only the difference; maternity cannot be picked where it is part of medical.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DESKTOP, PHONE, newPage, screenshot, signIn, useStack } from './stack.mjs';

const stack = useStack();

function currentMonth() {
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 7);
}

/** The new-request form for `employee`, with the wage and types set. */
async function fill(page, employee, kind, wage, types) {
  await page.goto(`${stack.base}/enrollments/new?employee=${employee}&kind=${kind}`);
  await page.getByTestId('employee-picked').waitFor();
  await page.getByTestId(`kind-${kind}`).click();
  for (const type of ['pension', 'medical', 'unemployment', 'work_injury', 'housing_fund']) {
    const box = page.getByTestId(`type-${type}`);
    if ((await box.isChecked()) !== types.includes(type)) await box.click();
  }
  await page.getByTestId('field-base').fill(wage);
  if (kind !== 'enrollment') await page.getByTestId('field-reason').fill('调薪');
}

for (const [label, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`a 3,000 wage: pension on the minimum, the housing fund on 3,000 (${label})`, async () => {
    const page = await newPage(stack.browser, viewport);
    await signIn(page, stack.base, 'li.hr');
    await fill(page, 'emp-0006', 'enrollment', '3000', ['pension', 'housing_fund']);
    // Beijing pays maternity within medical: it cannot be picked on its own.
    assert.equal(await page.getByTestId('type-maternity').isDisabled(), true);
    assert.equal(await page.getByTestId('type-maternity').isChecked(), false);
    assert.equal(await page.getByTestId('type-maternity-merged').textContent(), '已并入医疗保险');

    await page.getByTestId('price-breakdown').getByTestId('clamp-note').waitFor();
    await page.getByTestId('submit-request').click();
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.waitFor();
    const bases = await dialog.getByTestId('price-base').allTextContents();
    assert.equal(bases.length, 2, bases.join(' | '));
    assert.match(bases[0], /^¥[\d,]+\.00养老按下限 ¥[\d,]+\.00 计$/);
    assert.equal(bases[1], '¥3,000.00', 'the housing fund takes the wage as it is');
    assert.deepEqual(await dialog.getByTestId('clamp-note').allTextContents(), [bases[0].replace(/^¥[\d,]+\.00/, '')]);
    await screenshot(page, `price-per-type-base-${label}`);
    await page.getByTestId('confirm-cancel').click();
    await page.close();
  });
}

test('a base adjustment shows the old and the new base and charges the difference', async () => {
  const page = await newPage(stack.browser, DESKTOP);
  await signIn(page, stack.base, 'li.hr');
  // Filed first: an enrollment on 10,000 (made by HR, approved and sent by the supervisor).
  const month = currentMonth();
  const created = await page.request.post(`${stack.base}/api/enrollments`, {
    headers: { Origin: stack.base },
    data: {
      kind: 'enrollment', employee_id: 'emp-0016', insurance_types: ['pension'], base: '10000',
      from_month: month, to_month: month, reason: '', submit: true,
    },
  });
  assert.equal(created.status(), 201, await created.text());
  const request = await created.json();
  const lead = await newPage(stack.browser, DESKTOP);
  await signIn(lead, stack.base, 'wang.lead');
  const approved = await lead.request.post(`${stack.base}/api/enrollments/${request.id}/approve`, { headers: { Origin: stack.base }, data: { version: request.version } });
  assert.equal(approved.status(), 200, await approved.text());
  const sent = await lead.request.post(`${stack.base}/api/enrollments/${request.id}/execute`, { headers: { Origin: stack.base }, data: { version: (await approved.json()).version } });
  assert.equal((await sent.json()).state, 'executed');
  await lead.close();

  await fill(page, 'emp-0016', 'base_adjustment', '12000', ['pension']);
  await page.getByTestId('price-breakdown').waitFor();
  await page.getByTestId('submit-request').click();
  const dialog = page.getByTestId('confirm-dialog');
  await dialog.waitFor();
  assert.deepEqual(await dialog.getByTestId('price-base').allTextContents(), ['¥10,000.00 → ¥12,000.00']);
  // 2,000 more base × (16% + 8%).
  assert.equal(await dialog.getByTestId('price-total').textContent(), '¥480.00');
  assert.match(await page.getByTestId('confirm-text').textContent(), /基数调整，本次操作将产生 ¥480\.00 费用/);
  await screenshot(page, 'price-base-adjustment-desktop');
  await page.getByTestId('confirm-cancel').click();

  // Lowered to 8,000: the excess comes back, said plainly.
  await page.getByTestId('field-base').fill('8000');
  await page.getByTestId('price-breakdown').getByTestId('price-total').filter({ hasText: '-¥480.00' }).waitFor();
  await page.getByTestId('submit-request').click();
  await dialog.waitFor();
  assert.match(await page.getByTestId('confirm-text').textContent(), /新基数低于原基数，本次操作将退回多缴的 ¥480\.00/);
  await page.close();
});

for (const [label, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  test(`an administrator sets the company's work-injury class and housing-fund rate (${label})`, async () => {
    const page = await newPage(stack.browser, viewport);
    await signIn(page, stack.base, 'admin');
    await page.goto(`${stack.base}/settings`);
    await page.getByTestId('settings-form').waitFor();
    await page.getByTestId('rates-beijing-class').selectOption('2');
    await page.getByTestId('rates-beijing-float').selectOption('150');
    await page.getByTestId('rates-beijing-fund').selectOption('5');
    // Class 1 cannot float down: its choices are 100%, 120%, 150%.
    await page.getByTestId('rates-shenzhen-class').selectOption('1');
    const floats = await page.getByTestId('rates-shenzhen-float').locator('option').allTextContents();
    assert.deepEqual(floats, ['100%', '120%', '150%']);
    await page.getByTestId('settings-save').click();
    await page.getByTestId('settings-saved').waitFor();
    await screenshot(page, `settings-${label}`);
    const saved = await (await page.request.get(`${stack.base}/api/settings`)).json();
    assert.deepEqual(saved.employer_rates.beijing, { work_injury: { class: 2, float_percent: 150 }, housing_fund_rate: '0.05' });
    assert.deepEqual(saved.employer_rates.shenzhen, { work_injury: { class: 1, float_percent: 100 }, housing_fund_rate: null });
    // Kept after a reload.
    await page.reload();
    await page.getByTestId('settings-form').waitFor();
    assert.equal(await page.getByTestId('rates-beijing-fund').inputValue(), '5');
    await page.close();
  });
}
