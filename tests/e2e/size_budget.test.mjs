// The first download after login (wasm + JS + CSS, brotli-compressed) stays under 265 KB:
// raised from 250 KB when every view became typed `view!` markup, until the wasm is split
// into chunks per audience (issue 7).
import assert from 'node:assert/strict';
import { brotliCompressSync, constants } from 'node:zlib';
import { test } from 'node:test';
import { PHONE, newPage, signIn, useStack } from './stack.mjs';

const BUDGET = 265 * 1024;
const stack = useStack();

test('wasm + JS + CSS after login, brotli-compressed, stay under 265 KB', async () => {
  const page = await newPage(stack.browser, PHONE);
  const assets = new Map();
  page.on('response', async (resp) => {
    const url = new URL(resp.url());
    if (/\.(wasm|js|css)$/.test(url.pathname)) {
      assets.set(url.pathname, await resp.body());
    }
  });
  await signIn(page, stack.base, 'zhangsan');
  await page.getByTestId('profile').waitFor();
  const kinds = [...assets.keys()].map((p) => p.split('.').pop()).sort();
  assert.deepEqual([...new Set(kinds)], ['css', 'js', 'wasm']);
  let total = 0;
  for (const [path, body] of assets) {
    const size = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
    console.log(`  ${path}: ${body.length} B raw, ${size} B brotli`);
    total += size;
  }
  console.log(`  total: ${total} B brotli (budget ${BUDGET})`);
  assert.ok(total < BUDGET, `first download ${total} B exceeds ${BUDGET} B`);

  const cached = await page.request.get(`${stack.base}${[...assets.keys()].find((p) => p.endsWith('.wasm'))}`);
  assert.match(cached.headers()['cache-control'] ?? '', /max-age=31536000/);
  await page.close();
});
