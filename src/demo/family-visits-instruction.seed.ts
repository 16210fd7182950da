import type { EntityManager } from 'typeorm';
import { newReference } from '../common/reference';
import { execute, selectOne } from '../common/sql';

/**
 * A UVF case under instruction at the Nord establishment, for the demo SPIP counsellor
 * (pc-demo-spip): the detainee's request (rules signed) and Camille's, on her permit (rules not yet
 * signed), received some weeks ago so the queue shows the countdown. Once only.
 */
export async function seedFamilyVisitInstruction(m: EntityManager, establishmentId: string, now: Date): Promise<void> {
  const exists = await selectOne<{ n: number }>(m, `SELECT count(*)::int AS n FROM family_visit_cases WHERE establishment_id = $1`, [
    establishmentId,
  ]);
  if (exists?.n) return;
  const permit = await selectOne<{ id: string; detaineeId: string; familyAccountId: string }>(
    m,
    `SELECT id, detainee_id AS "detaineeId", family_account_id AS "familyAccountId" FROM permits
      WHERE establishment_id = $1 AND family_account_id IS NOT NULL AND status = 'ACTIVE' ORDER BY created_at LIMIT 1`,
    [establishmentId],
  );
  if (!permit) return;
  const day = (days: number) => new Date(now.getTime() + days * 86_400_000);
  const c = await selectOne<{ id: string }>(
    m,
    `INSERT INTO family_visit_cases (reference, establishment_id, detainee_id, kind, wished_from, wished_to, wished_hours, created_at)
     VALUES ($1, $2, $3, 'UVF', $4::date, $5::date, 24, $6) RETURNING id`,
    [`UV${newReference()}`, establishmentId, permit.detaineeId, day(60), day(90), day(-20)],
  );
  await execute(
    m,
    `INSERT INTO family_visit_requests (case_id, applicant, channel, received_at, rules_acknowledged_at) VALUES ($1, 'DETAINEE', 'LETTER', $2, $2)`,
    [c!.id, day(-20)],
  );
  await execute(
    m,
    `INSERT INTO family_visit_requests (case_id, applicant, permit_id, family_account_id, channel, received_at)
     VALUES ($1, 'VISITOR', $2, $3, 'ONLINE', $4)`,
    [c!.id, permit.id, permit.familyAccountId, day(-15)],
  );
  await execute(
    m,
    `INSERT INTO family_visit_events (case_id, at, kind, message, actor_type) VALUES ($1, $2, 'CREATED', 'Dossier ouvert (données de démonstration).', 'SYSTEM')`,
    [c!.id, day(-20)],
  );
}
