// bench/budgets.toml, read by the browser benches: the numbers of one `[section]` (its
// plain `key = number` lines; that is all they need, so no TOML parser is installed).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './stack.mjs';

export function budgets(section) {
  const text = readFileSync(join(root, 'bench/budgets.toml'), 'utf8');
  const body = text.split(/^\[/m).find((s) => s.startsWith(`${section}]`)) ?? '';
  const found = {};
  for (const [, key, value] of body.matchAll(/^(\w+)\s*=\s*([\d_.]+)\s*(?:#.*)?$/gm)) {
    found[key] = Number(value.replaceAll('_', ''));
  }
  return found;
}
