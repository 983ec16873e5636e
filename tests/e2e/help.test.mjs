// The help assistant with the demo data: 张三 asks on his phone and gets the FAQ's answer with
// the entry it came from, his own contributions when he asks about them, and for a question
// the FAQ cannot answer 转人工, filed as a ticket in 我的提问. 李 (HR, 北京) answers it in the
// console and maintains the FAQ (a field checked as typed, an edit, a new entry that 试一试
// then finds); 张三 reads the answer in his notifications and under 我的提问.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DESKTOP, PHONE, newPage, screenshot, signIn, useStack } from './stack.mjs';

const stack = useStack({ demoClock: true });

const UNANSWERED = '公司年会在哪里举办';
const HR_ANSWER = '年会在 12 月 20 日，地点是北京总部三楼多功能厅，无需报名。';

test('张三 asks, hands an unanswered question to HR and reads the answer; HR maintains the FAQ', async () => {
  const zhangsan = await newPage(stack.browser, PHONE, { hasTouch: true, isMobile: true });
  await signIn(zhangsan, stack.base, 'zhangsan', { path: '/help' });
  await zhangsan.getByTestId('help-page').waitFor();
  await zhangsan.getByTestId('help-tickets-empty').waitFor();
  assert.equal(await zhangsan.getByTestId('help-suggested').locator('button').count(), 3);

  // Typed and sent with Enter: the materials entry first, naming its entry and score.
  await zhangsan.getByTestId('help-q').fill('住院报销需要哪些材料？');
  await zhangsan.getByTestId('help-q').press('Enter');
  const best = zhangsan.getByTestId('help-answer').first();
  await best.waitFor();
  assert.match(await best.getByTestId('help-answer-text').textContent(), /材料/);
  assert.match(await best.getByTestId('help-answer-text').textContent(), /诊断证明/);
  assert.match(await best.getByTestId('help-answer-source').textContent(), /^依据：知识库条目 faq-06 · 匹配度 \d+\.\d$/);
  // Under answers, a person is one tap away; not offered unasked.
  await zhangsan.getByTestId('help-handover-open').waitFor();
  assert.equal(await zhangsan.getByTestId('help-handover').count(), 0);
  await screenshot(zhangsan, 'help-answer-phone');

  // His own contributions, from his record rather than the FAQ (a suggested question).
  await zhangsan.getByTestId('help-suggest-2').click();
  await zhangsan.getByTestId('help-own-status').waitFor();
  assert.match(await zhangsan.getByTestId('help-own-text').textContent(), /^您 \d{4}-\d{2} 的社保/);
  assert.match(await zhangsan.getByTestId('help-own-period').textContent(), /\d{4}-\d{2}/);
  assert.ok((await zhangsan.getByTestId('help-own-badge').textContent()).length > 0);
  assert.equal(await zhangsan.getByTestId('help-answer').count(), 0);

  // Nothing good: 转人工 is offered with his question, checked as he types.
  await zhangsan.getByTestId('help-q').fill(UNANSWERED);
  await zhangsan.getByTestId('help-ask').click();
  await zhangsan.getByTestId('help-no-answer').waitFor();
  await zhangsan.getByTestId('help-handover').waitFor();
  assert.equal(await zhangsan.getByTestId('help-handover-question').inputValue(), UNANSWERED);
  await zhangsan.getByTestId('help-handover-question').fill('年会');
  await zhangsan.getByTestId('help-handover-error').waitFor();
  assert.match(await zhangsan.getByTestId('help-handover-error').textContent(), /4–500/);
  await zhangsan.getByTestId('help-handover-question').fill(`${UNANSWERED}？需要报名吗`);
  await zhangsan.getByTestId('help-handover-error').waitFor({ state: 'detached' });
  await zhangsan.getByTestId('help-handover-submit').click();
  await zhangsan.getByTestId('help-handover-done').waitFor();
  assert.equal(await zhangsan.getByTestId('help-handover-done').textContent(), '已转给人事，答复会出现在通知中心');
  const mine = zhangsan.getByTestId('help-ticket').filter({ hasText: UNANSWERED });
  await mine.waitFor();
  assert.equal(await mine.getByTestId('help-ticket-state').textContent(), '待回复');
  assert.equal(await mine.getByTestId('help-ticket-answer').count(), 0);
  await screenshot(zhangsan, 'help-phone');

  // HR's queue opens on the open tickets; a one-character answer is refused as typed.
  const hr = await newPage(stack.browser, DESKTOP);
  await signIn(hr, stack.base, 'li.hr', { path: '/help' });
  await hr.getByTestId('help-desk').waitFor();
  assert.equal(await hr.getByTestId('state-tab-open').getAttribute('aria-current'), 'page');
  const ticket = hr.getByTestId('ticket').filter({ hasText: UNANSWERED });
  await ticket.waitFor();
  assert.equal(await ticket.getByTestId('ticket-employee').textContent(), '张三');
  assert.equal(await ticket.getByTestId('ticket-state').textContent(), '待回复');
  await ticket.getByTestId('ticket-answer-input').fill('好');
  await ticket.getByTestId('ticket-answer-error').waitFor();
  await ticket.getByTestId('ticket-answer-input').fill(HR_ANSWER);
  await ticket.getByTestId('ticket-answer-error').waitFor({ state: 'detached' });
  await ticket.getByTestId('ticket-answer-submit').click();
  await ticket.getByTestId('ticket-answer').waitFor();
  assert.equal(await ticket.getByTestId('ticket-state').textContent(), '已回复');
  assert.match(await ticket.getByTestId('ticket-answer').textContent(), /北京总部三楼/);
  assert.equal(await ticket.getByTestId('ticket-answer-input').count(), 0);
  await screenshot(hr, 'help-tickets-desktop');

  // The tab is in the URL: the answered list has it, with its answer.
  await hr.getByTestId('state-tab-answered').click();
  await hr.waitForURL(/\/help\?state=answered$/);
  await hr.getByTestId('ticket').filter({ hasText: UNANSWERED }).getByTestId('ticket-answer').waitFor();
  assert.equal(await hr.getByTestId('state-tab-answered').getAttribute('aria-current'), 'page');

  // The FAQ: an entry edited, a question too short refused as typed.
  await hr.getByTestId('help-faq-link').click();
  await hr.getByTestId('faq-list').waitFor();
  const row = hr.getByTestId('faq-row').filter({ hasText: 'faq-06' });
  await row.getByTestId('faq-edit').click();
  await hr.getByTestId('faq-form').waitFor();
  assert.equal(await hr.getByTestId('faq-question').inputValue(), '住院费用报销要准备哪些材料？');
  assert.equal(await hr.getByTestId('faq-category').inputValue(), 'reimbursement');
  await hr.getByTestId('faq-question').fill('报销');
  await hr.getByTestId('faq-error-question').waitFor();
  assert.match(await hr.getByTestId('faq-error-question').textContent(), /4–100/);
  await screenshot(hr, 'faq-error-desktop');
  await hr.getByTestId('faq-question').fill('住院费用报销要准备哪些材料和证明？');
  await hr.getByTestId('faq-error-question').waitFor({ state: 'detached' });
  await hr.getByTestId('faq-keywords').fill('住院、报销、材料、诊断证明、出院小结, 发票');
  await screenshot(hr, 'faq-desktop');
  await hr.getByTestId('faq-save').click();
  await hr.getByTestId('faq-saved').waitFor();
  await hr.getByTestId('faq-form').waitFor({ state: 'detached' });
  assert.equal(await row.getByTestId('faq-row-question').textContent(), '住院费用报销要准备哪些材料和证明？');

  // A new entry, checked field by field, then found by 试一试 as an employee would.
  await hr.getByTestId('faq-new').click();
  await hr.getByTestId('faq-save').click();
  await hr.getByTestId('faq-error-question').waitFor();
  await hr.getByTestId('faq-error-category').waitFor();
  await hr.getByTestId('faq-question').fill(`${UNANSWERED}？`);
  await hr.getByTestId('faq-answer').fill(HR_ANSWER);
  await hr.getByTestId('faq-keywords').fill('年会，活动');
  await hr.getByTestId('faq-category').selectOption('other');
  await hr.getByTestId('faq-error-category').waitFor({ state: 'detached' });
  await hr.getByTestId('faq-save').click();
  await hr.getByTestId('faq-saved').waitFor();
  await hr.getByTestId('faq-row').filter({ hasText: `${UNANSWERED}？` }).waitFor();
  await hr.getByTestId('faq-try-q').fill(UNANSWERED);
  await hr.getByTestId('faq-try-q').press('Enter');
  const tried = hr.getByTestId('faq-try').getByTestId('help-answer').first();
  await tried.waitFor();
  assert.match(await tried.getByTestId('help-answer-text').textContent(), /北京总部三楼/);
  assert.match(await tried.getByTestId('help-answer-source').textContent(), /^依据：知识库条目 \S+ · 匹配度 \d+\.\d$/);

  // 张三: the answer is in his notifications and under 我的提问.
  await zhangsan.goto(`${stack.base}/notifications`);
  const note = zhangsan.getByTestId('notification').filter({ hasText: '人事回复了您的问题' }).first();
  await note.waitFor();
  assert.match(await note.textContent(), /北京总部三楼/);
  await zhangsan.goto(`${stack.base}/help`);
  const answered = zhangsan.getByTestId('help-ticket').filter({ hasText: UNANSWERED });
  await answered.getByTestId('help-ticket-answer').waitFor();
  assert.equal(await answered.getByTestId('help-ticket-state').textContent(), '已回复');
  assert.match(await answered.getByTestId('help-ticket-answer').textContent(), /北京总部三楼/);

  // English on request; the FAQ's own words stay as written.
  await zhangsan.getByTestId('lang-switch').click();
  await zhangsan.getByRole('heading', { name: 'Ask a question' }).waitFor();
  assert.equal(await answered.getByTestId('help-ticket-state').textContent(), 'Answered');
  await zhangsan.getByTestId('lang-switch').click();
  await screenshot(zhangsan, 'help-answered-phone');
  for (const page of [zhangsan, hr]) await page.close();
});
