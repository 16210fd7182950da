import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

/** The titles of a test file's `describe`, `it` and `test` blocks. */
function titles(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/\b(?:describe|it|test)(?:\.each\([^)]*\))?\(\s*(['"`])((?:\\.|(?!\1).)*)\1/gs)].map((m) =>
    m[2].replace(/\\(.)/g, '$1').replace(/\s+/g, ' '),
  );
}

interface Reference {
  line: number;
  file: string;
  name?: string;
}

/**
 * docs/rules.md names, for each rule, the tests that prove it: "`test/x.e2e-spec.ts` › a test title…";
 * docs/security.md, for each requirement, the same way (its rows without a test file say why, and are
 * not references). Each reference is a test file, optionally a title (or the parts of it around "…"), after "›".
 */
function references(doc: 'docs/rules.md' | 'docs/security.md'): Reference[] {
  const refs: Reference[] = [];
  readFileSync(join(ROOT, doc), 'utf8')
    .split('\n')
    .forEach((row, i) => {
      if (!row.startsWith('|') || row.startsWith('|---') || row.startsWith('| rule')) return;
      const cells = row.split('|').map((c) => c.trim());
      const tests = cells[cells.length - 2];
      if (doc === 'docs/security.md' && !/spec\.ts/.test(tests)) return;
      let file: string | undefined;
      for (const part of tests.split(';')) {
        const named = /`([^`]+[.-]spec\.ts)`/.exec(part);
        if (named) file = named[1];
        if (!file) throw new Error(`${doc} line ${i + 1}: a test title without its file: ${part}`);
        const title = /›\s*(.+)$/.exec(part)?.[1];
        refs.push({ line: i + 1, file, name: title?.replace(/\s*\([^)]*\)\s*$/, '').trim() });
      }
    });
  return refs;
}

describe.each(['docs/rules.md', 'docs/security.md'] as const)('%s', (doc) => {
  const refs = references(doc);

  it('names test files that exist', () => {
    expect(refs.length).toBeGreaterThan(doc === 'docs/rules.md' ? 50 : 20);
    expect(refs.filter((r) => !existsSync(join(ROOT, r.file))).map((r) => `line ${r.line}: ${r.file}`)).toEqual([]);
  });

  it('names tests that exist in those files (a title, or its parts around "…")', () => {
    const missing = refs
      .filter((r) => r.name && existsSync(join(ROOT, r.file)))
      .filter((r) => {
        const parts = r
          .name!.split('…')
          .map((p) => p.trim())
          .filter(Boolean);
        return !titles(r.file).some((t) => parts.every((p) => t.includes(p)));
      })
      .map((r) => `line ${r.line}: ${r.file} › ${r.name}`);
    expect(missing).toEqual([]);
  });
});
