// 小李 (HR specialist, 北京) imports rosters of new hires: an .xlsx and a GBK CSV, each of 12
// rows with three bad ones (a wrong ID check digit, no name, a salary "abc"). The page lists
// exactly those three with their messages; "仅导入有效的 9 行" imports the nine; the rejected
// rows download as an .xlsx holding the three with their errors. An upload cut off after
// its first chunk goes on after a reload from where it stopped.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { DESKTOP, PHONE, newPage, screenshot, signIn, useStack } from './stack.mjs';
import { chineseName, csvOf, gbk, readXlsx, residentId, wrongCheck, xlsxOf } from './roster_files.mjs';

const stack = useStack();

const HEADERS = ['姓名', '身份证号码', '部门', '入职日期', '月工资', '手机号', '户籍'];
const BAD = { id: 2, name: 6, salary: 9 }; // data rows (0-based): spreadsheet rows 4, 8 and 11
const EXPECTED_ERRORS = [
  { row: '4', column: '身份证号码', message: '校验位不正确，请核对身份证号' },
  { row: '8', column: '姓名', message: '请输入姓名' },
  { row: '11', column: '月工资', message: '工资格式不正确' },
];

/**
 * Twelve new hires, their IDs born on `birth` (distinct per file, and from the demo data's),
 * three of them bad. `dateOf` and `salaryOf` write the values as the file holds them.
 */
function roster(prefix, birth, { dateOf, salaryOf }) {
  const rows = [];
  for (let i = 0; i < 12; i++) {
    const id = residentId(`110101${birth}${String(i + 1).padStart(3, '0')}`);
    // Names of one length: none is found by a search for another.
    const name = chineseName(prefix, 101 + i);
    rows.push({
      name,
      id: i === BAD.id ? wrongCheck(id) : id,
      cells: [
        i === BAD.name ? '' : name,
        i === BAD.id ? wrongCheck(id) : id,
        i % 2 ? '财务部' : '人事部',
        dateOf(i),
        i === BAD.salary ? 'abc' : salaryOf(8000 + i * 150),
        `1380013${String(8000 + i).padStart(4, '0')}`,
        i % 3 ? '本地' : '外地',
      ],
    });
  }
  return {
    table: [HEADERS, ...rows.map((r) => r.cells)],
    valid: rows.filter((_, i) => !Object.values(BAD).includes(i)),
    bad: rows.filter((_, i) => Object.values(BAD).includes(i)),
  };
}

async function openImport(page) {
  await signIn(page, stack.base, 'li.hr', { path: '/employees' });
  await page.getByTestId('import-roster').click();
  await page.getByTestId('import-file').waitFor();
  assert.match(page.url(), /\/employees\/import$/);
}

async function choose(page, name, buffer, mimeType) {
  await page.getByTestId('import-file').setInputFiles({ name, mimeType, buffer });
}

async function errorsShown(page) {
  const rows = page.getByTestId('import-error');
  const list = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const r = rows.nth(i);
    list.push({
      row: (await r.getByTestId('error-row').textContent()).trim(),
      column: (await r.getByTestId('error-column').textContent()).trim(),
      message: (await r.getByTestId('error-message').textContent()).trim(),
    });
  }
  return list;
}

async function employeesNamed(page, name) {
  const r = await page.request.get(`${stack.base}/api/employees?q=${encodeURIComponent(name)}`);
  assert.equal(r.status(), 200);
  return (await r.json()).items;
}

/**
 * Imports the valid rows of a file shown with exactly the three errors, checks the
 * employees exist and reads the rejected rows' download back.
 */
async function importValidAndCheck(page, file, shot) {
  await page.getByTestId('import-summary').waitFor();
  assert.equal(await page.getByTestId('import-summary').textContent(), '共 12 行，有效 9 行，错误 3 行');
  assert.deepEqual(await errorsShown(page), EXPECTED_ERRORS);
  // The row's values are beside its error.
  assert.match(await page.getByTestId('import-error').nth(0).textContent(), new RegExp(file.bad[0].id));
  assert.equal(await page.getByTestId('import-all').count(), 0, 'no "import all" while rows are wrong');
  await screenshot(page, `${shot}-result`);

  const importValid = page.getByTestId('import-valid');
  assert.equal(await importValid.textContent(), '仅导入有效的 9 行');
  await importValid.click();
  const done = page.getByTestId('import-done');
  await done.waitFor({ timeout: 30_000 });
  assert.equal(await done.textContent(), '已导入 9 行');
  assert.match(page.url(), /\/employees\/import\?id=imp/);
  await screenshot(page, `${shot}-done`);

  for (const r of file.valid) {
    const found = await employeesNamed(page, r.name);
    assert.equal(found.length, 1, `${r.name} imported`);
    assert.equal(found[0].branch_name, '北京分公司');
    assert.equal(found[0].hire_date, '2026-03-01');
  }
  for (const r of file.bad.filter((b) => b.cells[0])) {
    assert.equal((await employeesNamed(page, r.name)).length, 0, `${r.name} not imported`);
  }

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-rejected').click()]);
  assert.match(download.suggestedFilename(), /^导入被拒绝的行-.+\.xlsx$/);
  const bytes = await readFile(await download.path());
  assert.ok(bytes.subarray(0, 2).equals(Buffer.from('PK')), 'an .xlsx (a zip)');
  const [header, ...rows] = readXlsx(bytes);
  assert.equal(header.at(0), '行号');
  assert.equal(header.at(-1), '错误');
  assert.deepEqual(rows.map((r) => r[0]), ['4', '8', '11']);
  EXPECTED_ERRORS.forEach(({ message }, i) => assert.match(rows[i].at(-1), new RegExp(message)));
  const text = JSON.stringify(rows);
  for (const r of file.bad) assert.ok(text.includes(r.id), `rejected file holds ${r.id}`);
  for (const r of file.valid) assert.ok(!text.includes(r.id) && !text.includes(r.name), `no valid row (${r.name}) in the rejected file`);
}

test('an .xlsx of 12 rows with three bad ones: exactly those three, the nine imported, the three downloaded', async () => {
  const page = await newPage(stack.browser, DESKTOP);
  await openImport(page);
  // Excel keeps dates as day numbers: 46082 is 2026-03-01.
  const file = roster('表格', '19900315', { dateOf: () => 46082, salaryOf: (n) => n });
  await choose(page, '新员工花名册.xlsx', xlsxOf(file.table), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');

  // The mapping, guessed from the headers, every column but none twice.
  await page.getByTestId('import-mapping').waitFor();
  const guessed = [];
  for (let i = 0; i < HEADERS.length; i++) guessed.push(await page.getByTestId(`map-${i}`).inputValue());
  assert.deepEqual(guessed, ['name', 'resident_id', 'department', 'hire_date', 'salary', 'phone', 'hukou']);
  await page.getByTestId('import-summary').waitFor();
  await screenshot(page, 'import-mapping-desktop');

  // A required field left unmapped is a mapping error, and nothing is checked until it is back.
  await page.getByTestId('map-0').selectOption('');
  assert.match(await page.getByTestId('mapping-errors').textContent(), /请为“姓名”选择对应的列/);
  assert.equal(await page.getByTestId('import-summary').count(), 0);
  await page.getByTestId('map-0').selectOption('name');
  await page.getByTestId('mapping-errors').waitFor({ state: 'detached' });

  await importValidAndCheck(page, file, 'import-xlsx-desktop');
  await page.close();
});

test('a GBK CSV at phone size: the same three errors, the nine imported', async () => {
  const page = await newPage(stack.browser, PHONE);
  await openImport(page);
  const file = roster('文本', '19910420', { dateOf: () => '2026/3/1', salaryOf: (n) => `${n.toLocaleString('en-US')}.00` });
  const bytes = gbk(csvOf(file.table));
  assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes), 'the file really is GBK');
  await choose(page, '新员工花名册.csv', bytes, 'text/csv');
  await page.getByTestId('import-summary').waitFor();
  await screenshot(page, 'import-mapping-phone');
  await importValidAndCheck(page, file, 'import-csv-phone');
  await page.close();
});

test('files without rows are explained, and an unreadable one too', async () => {
  const page = await newPage(stack.browser, DESKTOP);
  await openImport(page);
  const cases = [
    ['空文件.csv', Buffer.alloc(0), /文件是空的/],
    ['只有表头.csv', Buffer.from(`${HEADERS.join(',')}\r\n`), /只有表头，没有数据行/],
    ['坏文件.xlsx', Buffer.from('PK\x03\x04 not a workbook at all'), /无法读取该文件/],
  ];
  for (const [name, buffer, message] of cases) {
    await choose(page, name, buffer, 'application/octet-stream');
    const error = page.getByTestId('read-error');
    await error.waitFor();
    assert.match(await error.textContent(), message, name);
    assert.equal(await page.getByTestId('import-mapping').count(), 0);
  }
  await page.close();
});

test('an upload cut off after its first chunk goes on after a reload, from the chunk the server lacks', async () => {
  const page = await newPage(stack.browser, DESKTOP);
  await openImport(page);
  const rows = Array.from({ length: 600 }, (_, i) => [
    chineseName('续传', 1001 + i),
    residentId(`110101199205${String(1 + (i % 28)).padStart(2, '0')}${String(100 + Math.floor(i / 28)).padStart(3, '0')}`),
    '2026-03-01',
    '9000',
  ]);
  const csv = Buffer.from(csvOf([['姓名', '身份证号', '入职日期', '月工资'], ...rows]));
  await choose(page, '续传测试.csv', csv, 'text/csv');
  await page.getByTestId('import-summary').waitFor();
  assert.equal(await page.getByTestId('import-summary').textContent(), '共 600 行，有效 600 行，错误 0 行');

  // The first chunk (500 rows) arrives; every later one is lost on the way.
  let chunks = 0;
  await page.route('**/api/imports/*/rows', (route) => (chunks++ === 0 ? route.continue() : route.abort()));
  await page.getByTestId('import-all').click();
  // While the lost chunk is retried, the bar stands at the rows the server has.
  const bar = page.getByTestId('import-progress');
  await page.locator('[data-testid=import-progress][aria-valuenow="83"]').waitFor();
  assert.equal(await bar.getAttribute('role'), 'progressbar');
  assert.match(await page.locator('.import-progress-card').textContent(), /正在上传 500 \/ 600/);
  await screenshot(page, 'import-uploading-desktop');
  const failed = page.getByTestId('import-error-message');
  await failed.waitFor({ timeout: 30_000 });
  assert.match(await failed.textContent(), /网络连接失败/);
  assert.equal(chunks, 4, 'the first chunk, then the second one three times');
  const id = new URL(page.url()).searchParams.get('id');
  assert.match(id ?? '', /^imp/, 'the import is in the URL');
  await page.unroute('**/api/imports/*/rows');
  assert.equal((await employeesNamed(page, chineseName('续传', 1001))).length, 0, 'nothing imported yet');

  // The import page offers the unfinished import.
  const other = await newPage(stack.browser, DESKTOP, { storageState: await page.context().storageState() });
  await other.goto(`${stack.base}/employees/import`);
  const offer = other.getByTestId('unfinished-imports');
  await offer.waitFor();
  assert.match(await offer.textContent(), /继续上次的导入：续传测试\.csv，已上传 500 \/ 600 行/);
  await other.close();

  await page.reload();
  const note = page.getByTestId('resume-note');
  await note.waitFor();
  assert.match(await note.textContent(), /已上传 500 \/ 600 行/);
  assert.ok(await page.getByTestId('import-branch').isDisabled(), 'the branch is the import\'s');
  // Another file of a different length is not taken for it.
  await choose(page, '别的文件.csv', Buffer.from(csvOf([['姓名', '身份证号', '入职日期', '月工资'], ...rows.slice(0, 5)])), 'text/csv');
  await page.getByTestId('resume-mismatch').waitFor();
  assert.equal(await page.getByTestId('import-all').count(), 0);

  const sent = [];
  page.on('request', (r) => { if (r.method() === 'POST' && /\/rows$/.test(r.url())) sent.push(JSON.parse(r.postData()).seq); });
  await choose(page, '续传测试.csv', csv, 'text/csv');
  await page.getByTestId('import-all').click();
  const done = page.getByTestId('import-done');
  await done.waitFor({ timeout: 30_000 });
  assert.equal(await done.textContent(), '已导入 600 行');
  assert.deepEqual(sent, [1], 'only the chunk the server lacked');
  assert.equal(await page.getByTestId('import-rejected').count(), 0, 'nothing rejected, nothing to download');
  const status = await (await page.request.get(`${stack.base}/api/imports/${id}`)).json();
  assert.equal(status.state, 'imported');
  assert.equal(status.imported, 600);
  assert.equal((await employeesNamed(page, chineseName('续传', 1600))).length, 1);
  await page.close();
});
