/**
 * `npm run oversight -- list | grant | revoke …`: who reads the national view (« Pilotage ») or a
 * direction's. Run by the team that runs P2V for the DAP (no establishment's administrator may give
 * a view beyond their establishment). Every grant and revocation is audit-logged. `--help` for usage.
 */
import 'reflect-metadata';
import { AuditService, type Actor } from '../src/common/audit.service';
import { DIRECTIONS } from '../src/oversight/oversight.rules';
import { OVERSIGHT_USAGE, parseOversightArgs } from '../src/oversight/oversight-cli.rules';
import { grantOversight, revokeOversight } from '../src/oversight/oversight-grants';
import { withDataSource } from './cli-data-source';

const args = process.argv.slice(2);
if (args.length === 0 || args.includes('--help')) {
  console.log(OVERSIGHT_USAGE);
  process.exit(args.length === 0 ? 1 : 0);
}
const command = parseOversightArgs(args);
if ('error' in command) {
  console.error(`${command.error}\n\n${OVERSIGHT_USAGE}`);
  process.exit(2);
}
const actor: Actor = { type: 'SYSTEM', label: `npm run oversight (${process.env.USER ?? 'operator'})` };

withDataSource(async (ds) => {
  if (command.action === 'list') {
    const rows = await ds.query<
      { email: string; name: string; scope: string; direction: keyof typeof DIRECTIONS | null; active: boolean }[]
    >(
      `SELECT a.email, a.first_name || ' ' || a.last_name AS name, o.scope, o.direction, a.active
         FROM oversight_assignments o JOIN agents a ON a.id = o.agent_id ORDER BY o.scope, o.direction NULLS FIRST, a.email`,
    );
    for (const r of rows)
      console.log(`${r.direction ? DIRECTIONS[r.direction] : 'National'}\t${r.email}\t${r.name}${r.active ? '' : '\t(deactivated)'}`);
    if (!rows.length) console.log('No one holds a national or interregional view.');
    return 0;
  }
  const audit = new AuditService();
  return ds.transaction(async (m) => {
    let agent = (await m.query<{ id: string; email: string }[]>(`SELECT id, email FROM agents WHERE email = $1`, [command.email]))[0];
    if (!agent && command.action === 'grant') {
      if (!command.givenName || !command.familyName) {
        console.error(`${command.email} is not registered in P2V: add --given-name and --family-name to register them.`);
        return 1;
      }
      [agent] = await m.query<{ id: string; email: string }[]>(
        `INSERT INTO agents (email, first_name, last_name) VALUES ($1, $2, $3) RETURNING id, email`,
        [command.email, command.givenName, command.familyName],
      );
      await audit.record({ actor, action: 'AGENT_REGISTERED', entityType: 'agent', entityId: agent.id, after: { email: agent.email } }, m);
    }
    if (!agent) {
      console.error(`${command.email} is not registered in P2V.`);
      return 1;
    }
    const scope = command.grant.scope === 'NATIONAL' ? 'the national view' : `the view of ${DIRECTIONS[command.grant.direction]}`;
    if (command.action === 'grant') {
      const done = await grantOversight(m, audit, actor, agent, command.grant);
      console.log(done ? `${agent.email} now reads ${scope}.` : `${agent.email} already reads ${scope}.`);
      return 0;
    }
    const done = await revokeOversight(m, audit, actor, agent, command.grant);
    console.log(done ? `${agent.email} no longer reads ${scope}.` : `${agent.email} did not read ${scope}.`);
    return done ? 0 : 1;
  });
});
