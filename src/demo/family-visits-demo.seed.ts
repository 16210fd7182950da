import { fromZonedTime, formatInTimeZone } from 'date-fns-tz';
import type { EntityManager } from 'typeorm';
import { AuditService, SYSTEM_ACTOR } from '../common/audit.service';
import { newReference } from '../common/reference';
import { execute, select, selectOne } from '../common/sql';
import { grantLetter, japNotice } from '../family-visits/decision-letters';
import { durationText } from '../family-visits/decision.rules';
import { caseReference, KIND_LABELS } from '../family-visits/requests.rules';
import { recordLetter } from '../permits/letters';
import { signatoryFor } from '../permits/signatory';

const DAY = 86_400_000;

/**
 * The UVF / PF demo of the Nord establishment, beside the case under instruction that
 * seedFamilyVisitInstruction creates (run after it), each part once:
 * - two units: a UVF apartment accessible to persons with reduced mobility and a family parlour;
 * - on the case under instruction: the detainee's interview done, Camille's scheduled (her demo SPIP
 *   appointment becomes its convocation), so « Mes demandes UVF » shows it;
 * - an authorised (GRANTED) UVF case for Camille with a stay booked next week in the UVF, decided
 *   by the demo head as a real grant is: signed, with its letters (detainee, family) and the JAP notice.
 */
export async function seedFamilyVisitsDemo(m: EntityManager, establishmentId: string, now: Date): Promise<void> {
  const audit = new AuditService();
  const site = await selectOne<{ timeZone: string }>(m, `SELECT time_zone AS "timeZone" FROM establishments WHERE id = $1`, [
    establishmentId,
  ]);
  if (!site) return;
  const counsellor = await agentWithRole(m, establishmentId, 'SPIP_COUNSELLOR');
  const head = await agentWithRole(m, establishmentId, 'HEAD_OF_ESTABLISHMENT');
  /** `days` from now at `time` on the establishment's clock. */
  const at = (days: number, time: string) =>
    fromZonedTime(`${formatInTimeZone(new Date(now.getTime() + days * DAY), site.timeZone, 'yyyy-MM-dd')} ${time}`, site.timeZone);

  const units: { kind: 'UVF' | 'PF'; name: string; capacity: number; accessible: boolean }[] = [
    { kind: 'UVF', name: 'UVF 1 — Les Tilleuls', capacity: 4, accessible: true },
    { kind: 'PF', name: 'Parloir familial 1', capacity: 3, accessible: false },
  ];
  for (const u of units) {
    const row = await selectOne<{ id: string }>(
      m,
      `INSERT INTO family_units (establishment_id, kind, name, capacity, accessible) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (establishment_id, name) DO NOTHING RETURNING id`,
      [establishmentId, u.kind, u.name, u.capacity, u.accessible],
    );
    if (row)
      await audit.record(
        { actor: SYSTEM_ACTOR, action: 'FAMILY_UNIT_CREATED', entityType: 'family_unit', entityId: row.id, establishmentId, after: u },
        m,
      );
  }
  if (counsellor) await seedInterviews(m, establishmentId, counsellor, at);
  if (counsellor && head) await seedAuthorisedStay(m, audit, { id: establishmentId, ...site }, { counsellor, head }, now, at);
}

async function agentWithRole(m: EntityManager, establishmentId: string, role: string): Promise<string | null> {
  const row = await selectOne<{ id: string }>(
    m,
    `SELECT agent_id AS id FROM role_assignments WHERE establishment_id = $1 AND role = $2 ORDER BY agent_id LIMIT 1`,
    [establishmentId, role],
  );
  return row?.id ?? null;
}

/** The case under instruction: the detainee's interview done, the visitor's scheduled with a convocation. */
async function seedInterviews(m: EntityManager, establishmentId: string, counsellor: string, at: (days: number, time: string) => Date) {
  const c = await selectOne<{ id: string }>(
    m,
    `SELECT c.id FROM family_visit_cases c WHERE c.establishment_id = $1 AND c.status = 'INSTRUCTION'
        AND NOT EXISTS (SELECT 1 FROM family_visit_interviews i JOIN family_visit_requests r ON r.id = i.request_id WHERE r.case_id = c.id)
      ORDER BY c.created_at LIMIT 1`,
    [establishmentId],
  );
  if (!c) return;
  const requests = await select<{ id: string; applicant: string; familyAccountId: string | null; name: string | null }>(
    m,
    `SELECT r.id, r.applicant, COALESCE(r.family_account_id, p.family_account_id) AS "familyAccountId",
            p.visitor_given_name || ' ' || upper(p.visitor_family_name) AS name
       FROM family_visit_requests r LEFT JOIN permits p ON p.id = r.permit_id WHERE r.case_id = $1 ORDER BY r.received_at`,
    [c.id],
  );
  const detainee = requests.find((r) => r.applicant === 'DETAINEE');
  const visitor = requests.find((r) => r.applicant === 'VISITOR');
  if (!detainee || !visitor) return;
  const doneAt = at(-5, '10:00');
  await execute(
    m,
    `INSERT INTO family_visit_interviews (request_id, counsellor_id, at, mode, status, notes, link_assessment, preparation_assessment)
     VALUES ($1, $2, $3, 'IN_PERSON', 'DONE', 'Entretien en détention : projet de visite construit avec sa compagne.',
             'Lien conjugal ancien, maintenu par les parloirs.', 'Visite préparée, règlement expliqué.')`,
    [detainee.id, counsellor, doneAt],
  );
  await event(m, c.id, detainee.id, doneAt, 'INTERVIEW_DONE', 'Entretien réalisé avec la personne détenue (en présentiel).', false);
  // The visitor's demo SPIP appointment (seedDemoData) becomes the interview's convocation, when there is one.
  const appointment = visitor.familyAccountId
    ? await selectOne<{ id: string; startsAt: Date }>(
        m,
        `SELECT a.id, a.starts_at AS "startsAt" FROM appointments a
          WHERE a.family_account_id = $1 AND a.kind = 'SPIP_INTERVIEW' AND a.status = 'BOOKED' AND a.establishment_id = $2
            AND NOT EXISTS (SELECT 1 FROM family_visit_interviews i WHERE i.appointment_id = a.id)
          ORDER BY a.starts_at LIMIT 1`,
        [visitor.familyAccountId, establishmentId],
      )
    : null;
  const scheduledAt = appointment ? new Date(appointment.startsAt) : at(10, '10:00');
  await execute(
    m,
    `INSERT INTO family_visit_interviews (request_id, counsellor_id, at, mode, status, appointment_id) VALUES ($1, $2, $3, 'IN_PERSON', 'SCHEDULED', $4)`,
    [visitor.id, counsellor, scheduledAt, appointment?.id ?? null],
  );
  await event(
    m,
    c.id,
    visitor.id,
    doneAt,
    'INTERVIEW_SCHEDULED',
    `Entretien prévu avec ${visitor.name ?? 'le visiteur'} (en présentiel)${appointment ? ', convocation envoyée' : ''}.`,
    false,
  );
  await execute(m, `UPDATE family_visit_cases SET counsellor_id = $2 WHERE id = $1 AND counsellor_id IS NULL`, [c.id, counsellor]);
  // What the family reads in its request's history.
  const received = await selectOne<{ receivedAt: Date }>(m, `SELECT received_at AS "receivedAt" FROM family_visit_requests WHERE id = $1`, [
    visitor.id,
  ]);
  await event(
    m,
    c.id,
    visitor.id,
    new Date(received!.receivedAt),
    'REQUEST_RECEIVED',
    `Demande de ${visitor.name} déposée en ligne.`,
    true,
  );
}

/** An authorised UVF case for the first demo family holding a permit, with its stay booked next week in the accessible UVF. */
async function seedAuthorisedStay(
  m: EntityManager,
  audit: AuditService,
  site: { id: string; timeZone: string },
  agents: { counsellor: string; head: string },
  now: Date,
  at: (days: number, time: string) => Date,
) {
  const establishmentId = site.id;
  const done = await selectOne<{ id: string }>(
    m,
    `SELECT id FROM family_visit_cases WHERE establishment_id = $1 AND status = 'DECIDED' ORDER BY created_at LIMIT 1`,
    [establishmentId],
  );
  // Already there: only what an earlier demo left out (the signature and the letters).
  if (done) return signGrants(m, audit, site, agents.head, done.id);
  const permit = await selectOne<{ id: string; detaineeId: string; familyAccountId: string; name: string }>(
    m,
    `SELECT p.id, p.detainee_id AS "detaineeId", p.family_account_id AS "familyAccountId",
            p.visitor_given_name || ' ' || upper(p.visitor_family_name) AS name
       FROM permits p JOIN detainees d ON d.id = p.detainee_id
      WHERE p.establishment_id = $1 AND p.family_account_id IS NOT NULL AND p.status = 'ACTIVE' AND d.legal_status = 'CONDAMNE'
      ORDER BY p.created_at LIMIT 1`,
    [establishmentId],
  );
  const unit = await selectOne<{ id: string; name: string }>(
    m,
    `SELECT id, name FROM family_units WHERE establishment_id = $1 AND kind = 'UVF' AND active AND accessible ORDER BY name LIMIT 1`,
    [establishmentId],
  );
  if (!permit || !unit) return;
  const day = (days: number) => new Date(now.getTime() + days * DAY);
  const dateOf = (d: Date) => formatInTimeZone(d, site.timeZone, 'yyyy-MM-dd');
  const from = at(7, '10:00');
  const to = new Date(from.getTime() + 24 * 3_600_000);
  const c = (await selectOne<{ id: string }>(
    m,
    `INSERT INTO family_visit_cases (reference, establishment_id, detainee_id, kind, wished_from, wished_to, wished_hours, status,
                                     counsellor_id, cpu_on, cpu_opinion, cpu_notes, created_at)
     VALUES ($1, $2, $3, 'UVF', $4::date, $5::date, 24, 'DECIDED', $6, $7::date, 'FAVOURABLE', 'Avis unanime.', $8) RETURNING id`,
    [
      caseReference(newReference()),
      establishmentId,
      permit.detaineeId,
      dateOf(from),
      dateOf(to),
      agents.counsellor,
      dateOf(day(-20)),
      day(-45),
    ],
  ))!;
  const decided = { at: day(-10), by: agents.head };
  const detaineeRequest = (await selectOne<{ id: string }>(
    m,
    `INSERT INTO family_visit_requests (case_id, applicant, channel, received_at, rules_acknowledged_at, status, decided_at, decided_by, granted_hours)
     VALUES ($1, 'DETAINEE', 'LETTER', $2, $2, 'GRANTED', $3, $4, 24) RETURNING id`,
    [c.id, day(-45), decided.at, decided.by],
  ))!;
  const visitorRequest = (await selectOne<{ id: string }>(
    m,
    `INSERT INTO family_visit_requests (case_id, applicant, permit_id, family_account_id, channel, received_at, rules_acknowledged_at,
                                        status, decided_at, decided_by, granted_hours)
     VALUES ($1, 'VISITOR', $2, $3, 'ONLINE', $4, $4, 'GRANTED', $5, $6, 24) RETURNING id`,
    [c.id, permit.id, permit.familyAccountId, day(-44), decided.at, decided.by],
  ))!;
  for (const [requestId, notes] of [
    [detaineeRequest.id, 'Entretien en détention : visite attendue, enfants informés.'],
    [visitorRequest.id, 'Entretien au SPIP : visite préparée, règlement lu et signé.'],
  ])
    await execute(
      m,
      `INSERT INTO family_visit_interviews (request_id, counsellor_id, at, mode, status, notes, link_assessment, preparation_assessment)
       VALUES ($1, $2, $3, 'IN_PERSON', 'DONE', $4, 'Lien familial solide.', 'Visite bien préparée.')`,
      [requestId, agents.counsellor, at(-30, '10:00'), notes],
    );
  await event(m, c.id, visitorRequest.id, day(-44), 'REQUEST_RECEIVED', `Demande de ${permit.name} déposée en ligne.`, true);
  await signGrants(m, audit, site, agents.head, c.id);
  const stay = (await selectOne<{ id: string }>(
    m,
    `INSERT INTO family_visit_stays (case_id, unit_id, during, visitors) VALUES ($1, $2, tstzrange($3, $4, '[)'), 1) RETURNING id`,
    [c.id, unit.id, from, to],
  ))!;
  await audit.record(
    {
      actor: SYSTEM_ACTOR,
      action: 'FAMILY_STAY_BOOKED',
      entityType: 'family_visit_stay',
      entityId: stay.id,
      establishmentId,
      after: { caseId: c.id, unitId: unit.id, from, to, visitors: 1, demo: true },
    },
    m,
  );
}

/**
 * The demo case's GRANTED requests not signed yet, decided as the head grants (decisions.service
 * `grant`): signed « Prénom NOM, qualité », the grant letter to the detainee and, for a visitor's
 * request, to the relative's account, the notice to the JAP, and the lines of the history. Idempotent:
 * a signed request is left alone.
 */
async function signGrants(m: EntityManager, audit: AuditService, site: { id: string; timeZone: string }, head: string, caseId: string) {
  const c = await selectOne<{
    reference: string;
    kind: 'UVF' | 'PF';
    detaineeName: string;
    ecrouNumber: string;
    establishmentName: string;
    wishedFrom: string;
    wishedTo: string;
    timeZone: string;
  }>(
    m,
    `SELECT c.reference, c.kind, d.first_name || ' ' || upper(d.last_name) AS "detaineeName", d.ecrou_number AS "ecrouNumber",
            e.name AS "establishmentName", to_char(c.wished_from, 'YYYY-MM-DD') AS "wishedFrom", to_char(c.wished_to, 'YYYY-MM-DD') AS "wishedTo",
            e.time_zone AS "timeZone"
       FROM family_visit_cases c JOIN detainees d ON d.id = c.detainee_id JOIN establishments e ON e.id = c.establishment_id
      WHERE c.id = $1`,
    [caseId],
  );
  const requests = await select<{
    id: string;
    applicant: 'DETAINEE' | 'VISITOR';
    visitorName: string | null;
    familyAccountId: string | null;
    receivedAt: Date;
    decidedAt: Date;
    hours: number;
    slots: 1 | 2 | null;
    told: boolean;
  }>(
    m,
    `SELECT r.id, r.applicant, CASE WHEN p.id IS NULL THEN NULL ELSE p.visitor_given_name || ' ' || upper(p.visitor_family_name) END AS "visitorName",
            COALESCE(r.family_account_id, p.family_account_id) AS "familyAccountId", r.received_at AS "receivedAt",
            r.decided_at AS "decidedAt", r.granted_hours AS hours, r.granted_slots AS slots,
            EXISTS (SELECT 1 FROM family_visit_events e WHERE e.request_id = r.id AND e.kind IN ('GRANTED', 'DECISION')) AS told
       FROM family_visit_requests r LEFT JOIN permits p ON p.id = r.permit_id
      WHERE r.case_id = $1 AND r.status = 'GRANTED' AND r.decided_as IS NULL AND r.decided_at IS NOT NULL AND r.granted_hours IS NOT NULL
      ORDER BY (r.applicant = 'DETAINEE') DESC, r.received_at, r.id`,
    [caseId],
  );
  if (!c || requests.length === 0) return;
  const fallback = await selectOne<{ name: string }>(m, `SELECT first_name || ' ' || upper(last_name) AS name FROM agents WHERE id = $1`, [
    head,
  ]);
  for (const r of requests) {
    const decidedAt = new Date(r.decidedAt);
    const signatory = await signatoryFor(m, site.id, head, formatInTimeZone(decidedAt, site.timeZone, 'yyyy-MM-dd'));
    const author = signatory?.label ?? `${fallback?.name ?? 'Le chef d’établissement'}, chef d’établissement`;
    await execute(m, `UPDATE family_visit_requests SET decided_as = $2, decided_by = coalesce(decided_by, $3) WHERE id = $1`, [
      r.id,
      author,
      head,
    ]);
    const grant = { hours: r.hours, slots: r.slots };
    const request = { applicant: r.applicant, visitorName: r.visitorName, receivedAt: new Date(r.receivedAt) };
    const to = [{ name: `${c.detaineeName} (écrou ${c.ecrouNumber})`, familyAccountId: null as string | null }];
    if (r.applicant === 'VISITOR') to.push({ name: r.visitorName ?? 'Le visiteur', familyAccountId: r.familyAccountId });
    const letter = { establishmentId: site.id, familyVisitCaseId: caseId, familyVisitRequestId: r.id, author, issuedAt: decidedAt };
    const letters: string[] = [];
    for (const a of to)
      letters.push(
        await recordLetter(m, {
          ...letter,
          familyAccountId: a.familyAccountId,
          kind: 'FV_GRANT',
          title: `Autorisation de visite — ${KIND_LABELS[c.kind]}`,
          addressee: a.name,
          body: grantLetter(c, request, grant),
        }),
      );
    letters.push(
      await recordLetter(m, {
        ...letter,
        familyAccountId: null,
        kind: 'FV_JAP_NOTICE',
        title: `Information du juge de l’application des peines — ${KIND_LABELS[c.kind]}`,
        addressee: 'Madame, Monsieur le juge de l’application des peines',
        body: japNotice(c, request, grant),
      }),
    );
    await audit.record(
      {
        actor: SYSTEM_ACTOR,
        action: 'FAMILY_VISIT_REQUEST_GRANTED',
        entityType: 'family_visit_request',
        entityId: r.id,
        establishmentId: site.id,
        after: { status: 'GRANTED', hours: r.hours, slots: r.slots, signedAs: author, letters, demo: true },
      },
      m,
    );
    if (r.told) continue;
    const hours = durationText(r.hours, r.slots);
    await event(
      m,
      caseId,
      r.id,
      decidedAt,
      'GRANTED',
      `Visite accordée${r.visitorName ? ` à ${r.visitorName}` : ' à la personne détenue'} pour ${hours} ; le juge de l’application des peines est informé.`,
      false,
    );
    if (r.applicant === 'VISITOR')
      await event(
        m,
        caseId,
        r.id,
        decidedAt,
        'GRANTED',
        `Votre demande est accordée pour ${hours}. Le courrier de décision est disponible.`,
        true,
      );
  }
}

function event(m: EntityManager, caseId: string, requestId: string, at: Date, kind: string, message: string, visibleToFamily: boolean) {
  return execute(
    m,
    `INSERT INTO family_visit_events (case_id, request_id, at, kind, message, visible_to_family, actor_type) VALUES ($1, $2, $3, $4, $5, $6, 'SYSTEM')`,
    [caseId, requestId, at, kind, message, visibleToFamily],
  );
}
