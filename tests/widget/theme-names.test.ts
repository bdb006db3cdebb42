// Every `--ct-*` custom property a widget stylesheet reads is on the one documented list (widget/src/shared/theme.ts),
// or is a deprecated name read only as the fallback of its replacement; every `@cssproperty` an element documents is
// on the list too. A practice themes the widgets with these names, so a stray one is a theme that silently fails.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEPRECATED_THEME_PROPERTIES, THEME_PROPERTIES } from '../../widget/src/shared/theme.ts';

const SRC = join(import.meta.dirname, '../../widget/src');
const sources = readdirSync(SRC, { recursive: true })
  .map(String)
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
  .map((file) => ({ file, text: readFileSync(join(SRC, file), 'utf8') }));
const listed = new Set(Object.keys(THEME_PROPERTIES));
const deprecated: Record<string, string> = DEPRECATED_THEME_PROPERTIES;

test('stylesheets read only listed --ct-* names (deprecated ones only as a fallback of their replacement)', () => {
  const stray: string[] = [];
  for (const { file, text } of sources) {
    for (const match of text.matchAll(/var\((--ct-[a-z0-9-]+)/g)) {
      const name = match[1]!;
      if (listed.has(name)) continue;
      const replacement = deprecated[name];
      const fallbackOf = replacement && text.slice(0, match.index).endsWith(`var(${replacement}, `);
      if (fallbackOf) continue;
      stray.push(`${file}: ${name}`);
    }
  }
  assert.deepEqual(stray, []);
});

test('every documented @cssproperty is on the list, and the list has no name nothing reads', () => {
  const documented = sources.flatMap(({ file, text }) =>
    [...text.matchAll(/@cssproperty (--ct-[a-z0-9-]+)/g)].map((m) => ({ file, name: m[1]! })),
  );
  assert.deepEqual(
    documented.filter(({ name }) => !listed.has(name)).map(({ file, name }) => `${file}: ${name}`),
    [],
  );
  const read = new Set(sources.flatMap(({ text }) => [...text.matchAll(/var\((--ct-[a-z0-9-]+)/g)].map((m) => m[1])));
  assert.deepEqual(
    [...listed].filter((name) => !read.has(name)),
    [],
  );
});

test('the stray-name check catches a name that is not on the list', () => {
  const text = 'background: var(--ct-colour-primary, red);';
  const names = [...text.matchAll(/var\((--ct-[a-z0-9-]+)/g)].map((m) => m[1]!);
  assert.deepEqual(
    names.filter((name) => !listed.has(name)),
    ['--ct-colour-primary'],
  );
});
