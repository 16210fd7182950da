/**
 * `npm run bench`: speed targets of the visiting room on the tablet, on DATABASE_URL (or the embedded
 * database). Builds a busy day in a throw-away establishment (BENCH: 300 visits, 600 visitors in 6
 * slots), measures the queries behind the day list, a name search and a visit's page, then removes
 * it. Exits 1 when a target is missed.
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { fromZonedTime } from 'date-fns-tz';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../src/common/audit.service';
import { Clock } from '../src/common/clock';
import { execute, selectOne } from '../src/common/sql';
import { VisitDayService } from '../src/visits/visit-day.service';
import { withDataSource } from './cli-data-source';

const TARGETS_MS = { dayList: 250, search: 250, visitPage: 50 }; // p95, server side
const RUNS = 30;

function p95(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)];
}

async function measure(fn: () => Promise<unknown>) {
  await fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return p95(samples);
}

/** The id of the row an INSERT … RETURNING id wrote. */
async function inserted(db: EntityManager, sql: string, params: unknown[]): Promise<string> {
  const row = await selectOne<{ id: string }>(db, sql, params);
  if (!row) throw new Error(`Nothing inserted: ${sql}`);
  return row.id;
}

const DAY = '2030-06-05';
const TIME_ZONE = 'Europe/Paris';

/** Removes the BENCH establishment and everything the bench built in it. */
async function cleanup(db: EntityManager): Promise<void> {
  const e = await selectOne<{ id: string }>(db, `SELECT id FROM establishments WHERE code = 'BENCH'`);
  if (!e) return;
  await db.transaction(async (m) => {
    await execute(m, `DELETE FROM visit_visitors WHERE visit_id IN (SELECT id FROM visits WHERE establishment_id = $1)`, [e.id]);
    await execute(m, `DELETE FROM visits WHERE establishment_id = $1`, [e.id]);
    await execute(m, `DELETE FROM visit_slots WHERE room_id IN (SELECT id FROM visiting_rooms WHERE establishment_id = $1)`, [e.id]);
    await execute(m, `DELETE FROM visiting_rooms WHERE establishment_id = $1`, [e.id]);
    await execute(m, `DELETE FROM permits WHERE establishment_id = $1`, [e.id]);
    await execute(m, `DELETE FROM detainees WHERE establishment_id = $1`, [e.id]);
    await execute(m, `DELETE FROM establishments WHERE id = $1`, [e.id]);
  });
}

/** A busy day: 6 slots of 50 visits, 2 visitors each. Returns the establishment and its first visit. */
async function busyDay(db: EntityManager): Promise<{ establishmentId: string; firstVisit: string }> {
  const establishmentId = await inserted(
    db,
    `INSERT INTO establishments (code, name, kind) VALUES ('BENCH', 'Établissement de mesure', 'MAISON_ARRET') RETURNING id`,
    [],
  );
  let firstVisit = '';
  await db.transaction(async (m) => {
    const room = await inserted(
      m,
      `INSERT INTO visiting_rooms (establishment_id, name, kind, cabins) VALUES ($1, 'Parloir', 'ORDINARY', 50) RETURNING id`,
      [establishmentId],
    );
    for (let s = 0; s < 6; s++) {
      const startsAt = fromZonedTime(`${DAY} ${String(9 + s).padStart(2, '0')}:00`, TIME_ZONE);
      const endsAt = new Date(startsAt.getTime() + 3600_000);
      const range = `[${startsAt.toISOString()},${endsAt.toISOString()})`;
      const slot = await inserted(
        m,
        `INSERT INTO visit_slots (room_id, starts_at, ends_at, capacity, booked) VALUES ($1, $2, $3, 50, 50) RETURNING id`,
        [room, startsAt, endsAt],
      );
      for (let v = 0; v < 50; v++) {
        const n = s * 50 + v;
        const detainee = await inserted(
          m,
          `INSERT INTO detainees (establishment_id, ecrou_number, last_name, first_name, birth_date, legal_status, housing)
           VALUES ($1, $2, $3, 'Test', '1980-01-01', 'CONDAMNE', 'Bâtiment A') RETURNING id`,
          [establishmentId, String(900000 + n), `Nom${n}`],
        );
        const visit = await inserted(
          m,
          `INSERT INTO visits (establishment_id, slot_id, detainee_id, reference, channel, during)
           VALUES ($1, $2, $3, $4, 'PHONE', $5::tstzrange) RETURNING id`,
          [establishmentId, slot, detainee, `BENCH${String(n).padStart(4, '0')}`, range],
        );
        firstVisit ||= visit;
        for (let k = 0; k < 2; k++) {
          const permit = await inserted(
            m,
            `INSERT INTO permits (establishment_id, detainee_id, visitor_given_name, visitor_family_name, visitor_birthdate, relationship,
                                  valid_from, origin)
             VALUES ($1, $2, $3, $4, '1985-01-01', 'OTHER', '2026-01-01', 'PAPER') RETURNING id`,
            [establishmentId, detainee, `Visiteur${k}`, `Famille${n}`],
          );
          await execute(m, `INSERT INTO visit_visitors (visit_id, permit_id, during) VALUES ($1, $2, $3::tstzrange)`, [
            visit,
            permit,
            range,
          ]);
        }
      }
    }
  });
  return { establishmentId, firstVisit };
}

withDataSource(async (ds) => {
  await ds.runMigrations({ transaction: 'each' });
  await cleanup(ds.manager);
  const { establishmentId, firstVisit } = await busyDay(ds.manager);
  const service = new VisitDayService(ds, new AuditService(), new Clock());
  const site = { id: establishmentId, timeZone: TIME_ZONE };
  try {
    const results = {
      dayList: await measure(() => service.day(site, DAY)),
      search: await measure(() => service.day(site, DAY, 'famille123')),
      visitPage: await measure(() => service.visit(site, firstVisit)),
    };
    let failed = false;
    for (const [name, ms] of Object.entries(results)) {
      const target = TARGETS_MS[name as keyof typeof TARGETS_MS];
      const ok = ms <= target;
      failed ||= !ok;
      console.log(
        `${ok ? 'ok  ' : 'SLOW'} ${name.padEnd(10)} p95 ${ms.toFixed(1).padStart(7)} ms (target ${target} ms; 300 visits, 600 visitors)`,
      );
    }
    return failed ? 1 : 0;
  } finally {
    await cleanup(ds.manager);
  }
});
