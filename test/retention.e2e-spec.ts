import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import {
  insertDetainee,
  insertEstablishment,
  insertFamily,
  type DetaineeRow,
  type EstablishmentRow,
  type FamilyRow,
} from './factories/people';
import { insertPermitRequest, insertRequestDocument } from './factories/permits';
import { query, resetDatabase, testDatabaseUrl } from './helpers/db';
import { services, testConfig } from './helpers/notifications';
import type { DocumentsDir } from './helpers/permits';

/* The built modules, as the app runs them. */
/* eslint-disable @typescript-eslint/no-require-imports */
const { dataSourceOptions } = require('../dist/src/database/data-source-options') as typeof import('../src/database/data-source-options');
const { installTransactionGuard } = require('../dist/src/database/transaction-guard') as typeof import('../src/database/transaction-guard');
const { PermitInstructionService } =
  require('../dist/src/permits/permit-instruction.service') as typeof import('../src/permits/permit-instruction.service');
const { PermitRegisterService } =
  require('../dist/src/permits/permit-register.service') as typeof import('../src/permits/permit-register.service');
const { PermitFileStore } = require('../dist/src/permits/permit-files') as typeof import('../src/permits/permit-files');
const { AuditService } = require('../dist/src/common/audit.service') as typeof import('../src/common/audit.service');
const { Clock } = require('../dist/src/common/clock') as typeof import('../src/common/clock');
const { SignedTokens } = require('../dist/src/common/signed-tokens') as typeof import('../src/common/signed-tokens');
const { NotificationRetentionService } =
  require('../dist/src/notifications/retention.service') as typeof import('../src/notifications/retention.service');
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * The retention job (docs/retention.md) run in-process with a set clock on an empty migrated database
 * (it looks at every request), with the transaction guard on as in the app.
 */
let ds: DataSource;
const docs: DocumentsDir = { dir: mkdtempSync(join(tmpdir(), 'p2v-docs-')), key: randomBytes(32) };
let establishment: EstablishmentRow;
let detainee: DetaineeRow;
let family: FamilyRow;
const DAY = 86400_000;

beforeAll(async () => {
  await resetDatabase();
  installTransactionGuard();
  ds = new DataSource({ ...dataSourceOptions(testDatabaseUrl()), extra: { max: 4 } });
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  establishment = await insertEstablishment({ name: 'Centre de détention de Świnoujście' });
  detainee = await insertDetainee(establishment.id, { lastName: 'Öztürk', firstName: 'Ali' });
  family = await insertFamily({ givenName: 'Łucja', familyName: 'Nguyễn-Şahin' });
});
afterAll(async () => {
  await ds?.destroy();
  rmSync(docs.dir, { recursive: true, force: true });
});

function jobAt(clock: InstanceType<typeof Clock>) {
  const config = testConfig();
  const { notifications } = services(ds, config);
  const tokens = new SignedTokens('test-secret-test-secret-test-secret-00', 'permit-qr-token', 'P2V1');
  const audit = new AuditService();
  const store = new PermitFileStore(docs.dir, docs.key);
  const instruction = new PermitInstructionService(ds, audit, notifications, store, tokens, clock);
  return new PermitRegisterService(ds, audit, instruction, clock, config, store);
}

async function decidedRequest(decidedAt: Date, status: 'REFUSED' | 'GRANTED' = 'REFUSED') {
  const r = await insertPermitRequest({
    familyAccountId: family.id,
    establishmentId: establishment.id,
    detaineeId: detainee.id,
    status,
    submittedAt: new Date(decidedAt.getTime() - 30 * DAY),
    decidedAt,
  });
  return { ...r, doc: await insertRequestDocument(docs, r.id, 'ID_DOCUMENT') };
}

const retentionEntries = () =>
  query<{ actor_label: string; after: Record<string, number> }>(
    `SELECT actor_label, after FROM audit_log WHERE action = 'RETENTION_APPLIED' ORDER BY id`,
  );

describe('retention of personal data', () => {
  it('keeps a decided request’s documents 365 days by default (CE Czabaj): kept at 364 days, deleted at 366', async () => {
    expect(testConfig().documents.retentionDays).toBe(365);
    const decidedAt = new Date('2027-03-01T10:00:00Z');
    const r = await decidedRequest(decidedAt);
    const clock = new Clock();
    const job = jobAt(clock);
    clock.set(new Date(decidedAt.getTime() + 364 * DAY), { frozen: true });
    expect((await job.applyRetention()).documents).toBe(0);
    expect(existsSync(r.doc.path)).toBe(true);
    clock.set(new Date(decidedAt.getTime() + 366 * DAY), { frozen: true });
    expect((await job.applyRetention()).documents).toBe(1);
    expect(existsSync(r.doc.path)).toBe(false);
    expect(await query(`SELECT deleted_at IS NOT NULL AS deleted FROM permit_documents WHERE id = $1`, [r.doc.id])).toEqual([
      { deleted: true },
    ]);
    const entries = await retentionEntries();
    expect(entries.at(-1)).toEqual({
      actor_label: 'durées de conservation',
      after: { permit_documents: 1, permit_lookup_failures: 0, permit_claim_failures: 0 },
    });
  });

  it('keeps every document of a request under litigation hold, however old; deletes them once the hold is lifted', async () => {
    const decidedAt = new Date('2026-01-05T10:00:00Z');
    const r = await decidedRequest(decidedAt);
    await query(`UPDATE permit_requests SET litigation_hold_since = $2, litigation_note = 'Recours devant le TA de Lille' WHERE id = $1`, [
      r.id,
      new Date('2026-02-01T10:00:00Z'),
    ]);
    const clock = new Clock();
    const job = jobAt(clock);
    clock.set(new Date(decidedAt.getTime() + 900 * DAY), { frozen: true });
    await job.applyRetention();
    expect(existsSync(r.doc.path)).toBe(true);
    const [agent] = await query<{ id: string }>(
      `INSERT INTO agents (email, first_name, last_name) VALUES ('chef-retention@justice.gouv.fr', 'Zofia', 'Łęcka') RETURNING id`,
    );
    await job.setLitigationHold({ type: 'AGENT', id: agent.id, label: 'Zofia Łęcka' }, establishment.id, r.id, null);
    await job.applyRetention();
    expect(existsSync(r.doc.path)).toBe(false);
  });

  it('deletes failed detainee look-ups and permit claims older than 30 days, with one audit entry of the counts', async () => {
    const now = new Date('2028-06-01T10:00:00Z');
    for (const at of [new Date(now.getTime() - 31 * DAY), new Date(now.getTime() - 40 * DAY), new Date(now.getTime() - 29 * DAY)]) {
      await query(`INSERT INTO permit_lookup_failures (family_account_id, at) VALUES ($1, $2)`, [family.id, at]);
      await query(`INSERT INTO permit_claim_failures (family_account_id, at) VALUES ($1, $2)`, [family.id, at]);
    }
    const clock = new Clock();
    clock.set(now, { frozen: true });
    const report = await jobAt(clock).applyRetention();
    expect(report.permitLookupFailures).toBe(2);
    expect(report.permitClaimFailures).toBe(2);
    expect(await query(`SELECT count(*)::int AS n FROM permit_lookup_failures`)).toEqual([{ n: 1 }]);
    expect(await query(`SELECT count(*)::int AS n FROM permit_claim_failures`)).toEqual([{ n: 1 }]);
    expect((await retentionEntries()).at(-1)!.after).toMatchObject({ permit_lookup_failures: 2, permit_claim_failures: 2 });
    // Nothing left to delete: no entry.
    const before = (await retentionEntries()).length;
    await jobAt(clock).applyRetention();
    expect((await retentionEntries()).length).toBe(before);
  });
});

describe('retention of messages', () => {
  /** `n` messages to one recipient, in `status`, ended at `endedAt`, each with one delivery attempt then. */
  async function messages(n: number, status: string, endedAt: Date): Promise<void> {
    const { id: recipient } = (
      await query<{ id: string }>(
        `INSERT INTO notification_recipients (channel, address, optout_token) VALUES ('EMAIL', $1, $2)
         ON CONFLICT (channel, address) DO UPDATE SET address = EXCLUDED.address RETURNING id`,
        ['łucja.nguyen@example.fr', 'retention-token-000000000'.slice(0, 24)],
      )
    )[0];
    await query(
      `WITH n AS (
         INSERT INTO notifications (recipient_id, channel, template, category, body_text, send_after, status, next_attempt_at,
                                    sent_at, updated_at, attempts)
         SELECT $1, 'EMAIL', 'visit-booked', 'TRANSACTIONAL', 'Bonjour Łucja, votre visite…', $3, $2, $3,
                CASE WHEN $2 = 'SENT' THEN $3::timestamptz END, $3, 1
           FROM generate_series(1, $4::int) RETURNING id, sent_at, updated_at)
       INSERT INTO notification_attempts (notification_id, attempt, started_at, finished_at, outcome)
       SELECT id, 1, coalesce(sent_at, updated_at), coalesce(sent_at, updated_at), CASE WHEN sent_at IS NULL THEN 'ERROR' ELSE 'SENT' END FROM n`,
      [recipient, status, endedAt, n],
    );
  }

  it('deletes messages a year after they ended and delivery attempts after 90 days, in batches, never a message still to send', async () => {
    const now = new Date('2029-03-01T10:00:00Z');
    const ago = (days: number) => new Date(now.getTime() - days * DAY);
    await query(`DELETE FROM notification_attempts`);
    await query(`DELETE FROM notifications`);
    await messages(2501, 'SENT', ago(400)); // past both delays
    await messages(3, 'FAILED', ago(366));
    await messages(4, 'SENT', ago(364)); // kept; their attempts (past 90 days) go
    await messages(5, 'SENT', ago(10)); // kept with their attempts
    await messages(2, 'PENDING', ago(500)); // still to send: never deleted, nor their attempts' message
    const clock = new Clock();
    clock.set(now, { frozen: true });
    const config = testConfig();
    expect([config.notifications.retentionDays, config.notifications.attemptsRetentionDays]).toEqual([365, 90]);
    const job = new NotificationRetentionService(ds, new AuditService(ds), clock, config);

    const report = await job.applyRetention({ batchSize: 1000 });
    // Attempts: 2,501 + 3 + 4 + 2 past 90 days, in 3 batches; messages: 2,504 (the 2 pending kept), in 3 batches.
    expect(report).toEqual({ attempts: 2510, notifications: 2504, batches: 6 });
    expect(await query(`SELECT status, count(*)::int AS n FROM notifications GROUP BY 1 ORDER BY 1`)).toEqual([
      { status: 'PENDING', n: 2 },
      { status: 'SENT', n: 9 },
    ]);
    expect(await query(`SELECT count(*)::int AS n FROM notification_attempts`)).toEqual([{ n: 5 }]);
    expect((await retentionEntries()).at(-1)).toEqual({
      actor_label: 'durées de conservation',
      after: { notifications: 2504, notification_attempts: 2510 },
    });

    // A backlog larger than a run allows is worked off over several runs.
    await messages(30, 'SENT', ago(800));
    expect(await job.applyRetention({ batchSize: 10, maxBatches: 2 })).toEqual({ attempts: 20, notifications: 0, batches: 2 });
    expect(await job.applyRetention({ batchSize: 10, maxBatches: 10 })).toEqual({ attempts: 10, notifications: 30, batches: 6 });
    const before = (await retentionEntries()).length;
    expect(await job.applyRetention()).toEqual({ attempts: 0, notifications: 0, batches: 2 });
    expect((await retentionEntries()).length).toBe(before);
  });
});
