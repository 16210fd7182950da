import type { Client } from 'pg';

/**
 * The database schema as text, one line per object, in a stable order: tables and their columns,
 * constraints, indexes, triggers, functions and sequences of the public schema. The same on
 * PostgreSQL 15 and on the embedded PostgreSQL 18 (the NOT NULL constraints PostgreSQL 18 lists in
 * pg_constraint are left out: the columns say NOT NULL already).
 */
export async function schemaText(c: Client): Promise<string> {
  const lines: string[] = [];
  const add = async (sql: string) => {
    for (const row of (await c.query<{ line: string }>(sql)).rows) lines.push(row.line);
  };
  await add(`SELECT 'extension ' || extname AS line FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY extname`);
  // One line per table, then one per column (name, type, NOT NULL, default), in column order.
  await add(`
    SELECT CASE WHEN a.attnum = first.n THEN 'table ' || c.relname || E'\n' ELSE '' END
             || '  ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
             || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END
             || coalesce(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '')
             || CASE WHEN a.attgenerated = 's' THEN ' GENERATED' ELSE '' END AS line
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      JOIN LATERAL (SELECT min(x.attnum) AS n FROM pg_attribute x WHERE x.attrelid = c.oid AND x.attnum > 0 AND NOT x.attisdropped) first ON true
      LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
     ORDER BY c.relname, a.attnum`);
  await add(`
    SELECT 'constraint ' || c.relname || '.' || k.conname || ': ' || pg_get_constraintdef(k.oid) AS line
      FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND k.contype <> 'n' ORDER BY c.relname, k.conname`);
  await add(`SELECT 'index ' || indexdef AS line FROM pg_indexes WHERE schemaname = 'public' ORDER BY tablename, indexname`);
  await add(`
    SELECT 'trigger ' || pg_get_triggerdef(t.oid) AS line
      FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND NOT t.tgisinternal ORDER BY c.relname, t.tgname`);
  await add(`
    SELECT 'function ' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') returns ' || pg_get_function_result(p.oid)
             || ' md5 ' || md5(regexp_replace(p.prosrc, '\\s+', ' ', 'g')) AS line
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      LEFT JOIN pg_depend dep ON dep.objid = p.oid AND dep.deptype = 'e'
     WHERE n.nspname = 'public' AND dep.objid IS NULL ORDER BY p.proname, 1`);
  await add(`
    SELECT 'sequence ' || s.relname AS line FROM pg_class s JOIN pg_namespace n ON n.oid = s.relnamespace
     WHERE n.nspname = 'public' AND s.relkind = 'S' ORDER BY s.relname`);
  return lines.join('\n') + '\n';
}
