import { queryOne } from '../helpers/db';
import { page } from '../helpers/html';
import type { Agent } from '../helpers/sign-in';

/** Sends a document from a request's page (the detail page, or step 9 for a draft) as the family does. */
export async function sendDocument(agent: Agent, id: string, kind: string, file: Buffer, filename: string, from = `/demandes/${id}`) {
  const form = await agent.get(from).redirects(1).expect(200);
  return agent.post(`/demandes/${id}/documents`).field('_csrf', page(form).csrf()).field('kind', kind).attach('fichier', file, filename);
}

/** A permit's flags the register and the dashboard read. */
export async function setPermitFlags(id: string, o: { headReviewDue?: boolean }): Promise<void> {
  await queryOne(`UPDATE permits SET head_review_due = $2 WHERE id = $1 RETURNING id`, [id, o.headReviewDue ?? false]);
}

/** A measure proposed on a permit (suspension by default) whose observations are due on `observationsDue`. */
export async function insertProposedMeasure(o: {
  permitId: string;
  establishmentId: string;
  agentId: string;
  observationsDue: string;
  kind?: 'SUSPENSION' | 'WITHDRAWAL';
}): Promise<{ id: string }> {
  return queryOne<{ id: string }>(
    `INSERT INTO permit_measures (permit_id, establishment_id, kind, status, grounds, observations_due, proposed_by)
     VALUES ($1, $2, $3, 'PROPOSED', 'Incident au parloir du 2 mars, rapport joint.', $4, $5) RETURNING id`,
    [o.permitId, o.establishmentId, o.kind ?? 'SUSPENSION', o.observationsDue, o.agentId],
  );
}

/** Sets a request's decision or withdrawal times (the statistics read them). */
export async function setRequestTimes(
  id: string,
  o: { status?: string; submittedAt?: Date; completeAt?: Date | null; decidedAt?: Date | null; withdrawnAt?: Date | null },
): Promise<void> {
  await queryOne(
    `UPDATE permit_requests SET status = coalesce($2, status), submitted_at = coalesce($3, submitted_at),
            complete_at = CASE WHEN $4::boolean THEN $5 ELSE complete_at END, decided_at = coalesce($6, decided_at), withdrawn_at = $7
      WHERE id = $1 RETURNING id`,
    [
      id,
      o.status ?? null,
      o.submittedAt ?? null,
      o.completeAt !== undefined,
      o.completeAt ?? null,
      o.decidedAt ?? null,
      o.withdrawnAt ?? null,
    ],
  );
}
