import { query } from '../helpers/db';
import type { Agent } from '../helpers/sign-in';
import { page } from '../helpers/html';

/** A day `n` days from today (AAAA-MM-JJ, UTC calendar: far enough from midnight for Paris not to matter in these tests). */
export function dayFromToday(n: number): string {
  return new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
}

/** Opens a page and posts its form with these fields. */
export async function postForm(agent: Agent, formUrl: string, action: string, fields: Record<string, string | string[]>) {
  const form = await agent.get(formUrl).expect(200);
  return agent
    .post(action)
    .type('form')
    .send({ _csrf: page(form).csrf(), ...fields });
}

/** The requests of a case, as stored. */
export function requestsOfCase(caseId: string) {
  return query<{ id: string; applicant: string; channel: string; status: string; permitId: string | null; accompaniedBy: string | null }>(
    `SELECT id, applicant, channel, status, permit_id AS "permitId", accompanied_by AS "accompaniedBy"
       FROM family_visit_requests WHERE case_id = $1 ORDER BY applicant, created_at`,
    [caseId],
  );
}
