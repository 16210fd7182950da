import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const VIEWS = join(__dirname, '..', 'views');

function templates(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? templates(join(dir, e.name)) : e.name.endsWith('.njk') ? [join(dir, e.name)] : [],
  );
}

/**
 * Views read the typed rows the services give them (camelCase fields), never database columns:
 * no `row.snake_case` inside a template's `{{ … }}` or `{% … %}`.
 */
describe('the views', () => {
  it('read camelCase fields only, never a database column name', () => {
    const found: string[] = [];
    for (const file of templates(VIEWS)) {
      const text = readFileSync(file, 'utf8');
      for (const tag of text.matchAll(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g)) {
        const code = tag[0].replace(/(['"])(?:\\.|(?!\1).)*\1/g, "''"); // string literals aside
        for (const m of code.matchAll(/\b[A-Za-z]\w*\.([a-z][a-z0-9]*_[a-z0-9_]+)\b/g)) found.push(`${relative(VIEWS, file)}: ${m[0]}`);
      }
    }
    expect(found).toEqual([]);
  });
});
