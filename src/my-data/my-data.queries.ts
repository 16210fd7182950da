import type { EntityManager } from 'typeorm';
import { select, selectOne } from '../common/sql';

/**
 * The SQL of « Mes données »: everything P2V holds about one family account, read in one place for its
 * export, and the procedures still pending that keep it from closing. A knowing exception to « a module
 * reads only its own tables » (docs/architecture.md), like `oversight`: these statements only read the
 * tables of the modules that own a family's data (permits, visits, family visits, appointments,
 * notifications, the audit log); every write goes through the owner's service. Every statement is
 * scoped by the account's id: a family reads nothing of another's. `EXPORTED_TABLES` lists the tables
 * with a `family_account_id` column that the export covers (test/my-data.e2e-spec.ts checks that no
 * such table is forgotten).
 */

/** The tables holding a `family_account_id` that the export reads (with what hangs from them). */
export const EXPORTED_TABLES = [
  'family_accounts',
  'permit_requests',
  'permits',
  'letters',
  'visits',
  'visit_waitlist',
  'family_visit_requests',
  'appointments',
  // Rate-limit counters of failed look-ups and claim codes: ids and times only, deleted after 30 days, exported as counts.
  'permit_lookup_failures',
  'permit_claim_failures',
] as const;

/**
 * The family's UVF / PF requests: those it filed online, and those made for a permit it holds (as
 * family-visits' FAMILY_REQUEST_IDS: a request entered by the staff for the family's permit is its too).
 */
const FAMILY_VISIT_REQUEST_IDS = `(SELECT fr.id FROM family_visit_requests fr WHERE fr.family_account_id = $1
  UNION SELECT fr.id FROM permits fp JOIN family_visit_requests fr ON fr.permit_id = fp.id WHERE fp.family_account_id = $1)`;

/** The UVF / PF cases where one of the family's requests is granted: the stays of those cases are the family's (as its pages show). */
const FAMILY_STAY_CASES = `(SELECT r.case_id FROM family_visit_requests r WHERE r.status = 'GRANTED' AND r.id IN ${FAMILY_VISIT_REQUEST_IDS})`;

export interface AccountRow {
  id: string;
  givenName: string;
  familyName: string;
  /** AAAA-MM-JJ */
  birthdate: string | null;
  email: string | null;
  mobilePhone: string | null;
  createdAt: Date;
  lastSignInAt: Date | null;
  closedAt: Date | null;
}

export function accountOf(db: EntityManager, familyId: string): Promise<AccountRow | null> {
  return selectOne<AccountRow>(
    db,
    `SELECT id, given_name AS "givenName", family_name AS "familyName", to_char(birthdate, 'YYYY-MM-DD') AS birthdate, email,
            mobile_phone AS "mobilePhone", created_at AS "createdAt", last_sign_in_at AS "lastSignInAt", closed_at AS "closedAt"
       FROM family_accounts WHERE id = $1`,
    [familyId],
  );
}

/** The reminders' opt-out of the family's own e-mail and mobile number (notification_recipients, keyed by address). */
export interface PreferenceRow {
  channel: 'EMAIL' | 'SMS';
  address: string;
  remindersOptedOutAt: Date | null;
}

export function preferencesOf(db: EntityManager, email: string | null, phone: string | null): Promise<PreferenceRow[]> {
  return select<PreferenceRow>(
    db,
    `SELECT channel, address, reminders_opted_out_at AS "remindersOptedOutAt" FROM notification_recipients
      WHERE (channel = 'EMAIL' AND address = lower(trim($1))) OR (channel = 'SMS' AND address = $2)
      ORDER BY channel`,
    [email, phone],
  );
}

export interface PermitRequestRow {
  id: string;
  reference: string | null;
  status: string;
  establishmentName: string | null;
  detaineeName: string | null;
  forSelf: boolean | null;
  visitorGivenName: string | null;
  visitorFamilyName: string | null;
  visitorBirthdate: string | null;
  relationship: string | null;
  relationshipDetail: string | null;
  idDocumentType: string | null;
  comment: string | null;
  createdAt: Date;
  submittedAt: Date | null;
  completeAt: Date | null;
  documentsDue: string | null;
  decidedAt: Date | null;
  decisionMotivation: string | null;
  withdrawnAt: Date | null;
}

export function permitRequestsOf(db: EntityManager, familyId: string): Promise<PermitRequestRow[]> {
  return select<PermitRequestRow>(
    db,
    `SELECT r.id, r.reference, r.status, e.name AS "establishmentName", d.first_name || ' ' || d.last_name AS "detaineeName",
            r.for_self AS "forSelf", r.visitor_given_name AS "visitorGivenName", r.visitor_family_name AS "visitorFamilyName",
            to_char(r.visitor_birthdate, 'YYYY-MM-DD') AS "visitorBirthdate", r.relationship, r.relationship_detail AS "relationshipDetail",
            r.id_document_type AS "idDocumentType", r.comment, r.created_at AS "createdAt", r.submitted_at AS "submittedAt",
            r.complete_at AS "completeAt", to_char(r.documents_due, 'YYYY-MM-DD') AS "documentsDue", r.decided_at AS "decidedAt",
            r.decision_motivation AS "decisionMotivation", r.withdrawn_at AS "withdrawnAt"
       FROM permit_requests r LEFT JOIN establishments e ON e.id = r.establishment_id LEFT JOIN detainees d ON d.id = r.detainee_id
      WHERE r.family_account_id = $1
      ORDER BY r.created_at, r.id`,
    [familyId],
  );
}

/** A document of a request: its kind, name and date, never its content. */
export interface RequestDocumentRow {
  requestId: string;
  kind: string;
  originalName: string;
  receivedAt: Date;
  review: string;
  current: boolean;
  deletedAt: Date | null;
}

export function requestDocumentsOf(db: EntityManager, familyId: string): Promise<RequestDocumentRow[]> {
  return select<RequestDocumentRow>(
    db,
    `SELECT pd.request_id AS "requestId", pd.kind, pd.original_name AS "originalName", pd.created_at AS "receivedAt", pd.review,
            pd.current, pd.deleted_at AS "deletedAt"
       FROM permit_documents pd JOIN permit_requests r ON r.id = pd.request_id
      WHERE r.family_account_id = $1
      ORDER BY pd.created_at, pd.id`,
    [familyId],
  );
}

/** A line of a request's history that the family reads on its page (statuses, messages); never the staff's notes. */
export interface RequestEventRow {
  requestId: string;
  at: Date;
  status: string | null;
  message: string | null;
}

export function requestEventsOf(db: EntityManager, familyId: string): Promise<RequestEventRow[]> {
  return select<RequestEventRow>(
    db,
    `SELECT ev.request_id AS "requestId", ev.at, ev.status, ev.message
       FROM permit_request_events ev JOIN permit_requests r ON r.id = ev.request_id
      WHERE r.family_account_id = $1 AND ev.visible_to_family
      ORDER BY ev.at, ev.id`,
    [familyId],
  );
}

export interface PermitRow {
  id: string;
  establishmentName: string;
  detaineeName: string;
  visitorGivenName: string;
  visitorFamilyName: string;
  visitorBirthdate: string;
  relationship: string;
  validFrom: string;
  validTo: string | null;
  status: string;
  statusReason: string | null;
  origin: string;
  maxVisits: number | null;
  roomCondition: string | null;
  allowedDays: number[] | null;
  allowedFrom: string | null;
  allowedTo: string | null;
  conditionsNote: string | null;
  hasPhoto: boolean;
  createdAt: Date;
  claimedAt: Date | null;
}

export function permitsOf(db: EntityManager, familyId: string): Promise<PermitRow[]> {
  return select<PermitRow>(
    db,
    `SELECT p.id, e.name AS "establishmentName", d.first_name || ' ' || d.last_name AS "detaineeName",
            p.visitor_given_name AS "visitorGivenName", p.visitor_family_name AS "visitorFamilyName",
            to_char(p.visitor_birthdate, 'YYYY-MM-DD') AS "visitorBirthdate", p.relationship,
            to_char(p.valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(p.valid_to, 'YYYY-MM-DD') AS "validTo", p.status,
            p.status_reason AS "statusReason", p.origin, p.max_visits AS "maxVisits", p.room_condition AS "roomCondition",
            p.allowed_days::int[] AS "allowedDays", to_char(p.allowed_from, 'HH24:MI') AS "allowedFrom",
            to_char(p.allowed_to, 'HH24:MI') AS "allowedTo", p.conditions_note AS "conditionsNote",
            p.photo_document_id IS NOT NULL AS "hasPhoto", p.created_at AS "createdAt", p.claimed_at AS "claimedAt"
       FROM permits p JOIN establishments e ON e.id = p.establishment_id JOIN detainees d ON d.id = p.detainee_id
      WHERE p.family_account_id = $1
      ORDER BY p.created_at, p.id`,
    [familyId],
  );
}

/** A suspension, withdrawal or referral of one of the family's permits. */
export interface MeasureRow {
  permitId: string;
  kind: string;
  status: string;
  grounds: string;
  proposedAt: Date;
  observationsDue: string | null;
  observations: string | null;
  observationsAt: Date | null;
  decidedAt: Date | null;
  suspendedUntil: string | null;
}

export function measuresOf(db: EntityManager, familyId: string): Promise<MeasureRow[]> {
  return select<MeasureRow>(
    db,
    `SELECT m.permit_id AS "permitId", m.kind, m.status, m.grounds, m.proposed_at AS "proposedAt",
            to_char(m.observations_due, 'YYYY-MM-DD') AS "observationsDue", m.observations, m.observations_at AS "observationsAt",
            m.decided_at AS "decidedAt", to_char(m.suspended_until, 'YYYY-MM-DD') AS "suspendedUntil"
       FROM permit_measures m JOIN permits p ON p.id = m.permit_id
      WHERE p.family_account_id = $1
      ORDER BY m.proposed_at, m.id`,
    [familyId],
  );
}

export interface LetterRow {
  kind: string;
  title: string;
  issuedAt: Date;
  establishmentName: string;
  reference: string | null;
}

export function lettersOf(db: EntityManager, familyId: string): Promise<LetterRow[]> {
  return select<LetterRow>(
    db,
    `SELECT l.kind, l.title, l.issued_at AS "issuedAt", e.name AS "establishmentName", l.body->>'reference' AS reference
       FROM letters l JOIN establishments e ON e.id = l.establishment_id
      WHERE l.family_account_id = $1
      ORDER BY l.issued_at, l.id`,
    [familyId],
  );
}

export interface VisitRow {
  id: string;
  reference: string;
  establishmentName: string;
  roomName: string;
  detaineeName: string;
  startsAt: Date;
  endsAt: Date;
  status: string;
  channel: string;
  bookedAt: Date;
  cancelledAt: Date | null;
}

export function visitsOf(db: EntityManager, familyId: string): Promise<VisitRow[]> {
  return select<VisitRow>(
    db,
    `SELECT v.id, v.reference, e.name AS "establishmentName", vr.name AS "roomName", d.first_name || ' ' || d.last_name AS "detaineeName",
            lower(v.during) AS "startsAt", upper(v.during) AS "endsAt", v.status, v.channel, v.created_at AS "bookedAt",
            v.cancelled_at AS "cancelledAt"
       FROM visits v JOIN establishments e ON e.id = v.establishment_id JOIN detainees d ON d.id = v.detainee_id
       JOIN visit_slots s ON s.id = v.slot_id JOIN visiting_rooms vr ON vr.id = s.room_id
      WHERE v.family_account_id = $1
      ORDER BY lower(v.during), v.id`,
    [familyId],
  );
}

/** A visitor of one of the family's visits: the permit's holder, or a name as a GENESIS list gave it; the door check. */
export interface VisitorRow {
  visitId: string;
  givenName: string | null;
  familyName: string | null;
  birthdate: string | null;
  active: boolean;
  checkStatus: string | null;
  refusalReason: string | null;
  checkedAt: Date | null;
}

export function visitorsOf(db: EntityManager, familyId: string): Promise<VisitorRow[]> {
  return select<VisitorRow>(
    db,
    `SELECT vv.visit_id AS "visitId", coalesce(p.visitor_given_name, vv.given_name) AS "givenName",
            coalesce(p.visitor_family_name, vv.family_name) AS "familyName",
            to_char(coalesce(p.visitor_birthdate, vv.birthdate), 'YYYY-MM-DD') AS birthdate, vv.active,
            vv.check_status AS "checkStatus", vv.refusal_reason AS "refusalReason", vv.checked_at AS "checkedAt"
       FROM visit_visitors vv JOIN visits v ON v.id = vv.visit_id LEFT JOIN permits p ON p.id = vv.permit_id
      WHERE v.family_account_id = $1
      ORDER BY vv.visit_id, coalesce(p.visitor_family_name, vv.family_name), vv.id`,
    [familyId],
  );
}

export interface WaitlistRow {
  id: string;
  establishmentName: string;
  detaineeName: string;
  startsAt: Date;
  status: string;
  createdAt: Date;
  offeredAt: Date | null;
  offerExpiresAt: Date | null;
}

export function waitlistOf(db: EntityManager, familyId: string): Promise<WaitlistRow[]> {
  return select<WaitlistRow>(
    db,
    `SELECT w.id, e.name AS "establishmentName", d.first_name || ' ' || d.last_name AS "detaineeName", w.starts_at AS "startsAt",
            w.status, w.created_at AS "createdAt", w.offered_at AS "offeredAt", w.offer_expires_at AS "offerExpiresAt"
       FROM visit_waitlist w JOIN establishments e ON e.id = w.establishment_id JOIN detainees d ON d.id = w.detainee_id
      WHERE w.family_account_id = $1
      ORDER BY w.starts_at, w.id`,
    [familyId],
  );
}

export interface FamilyVisitRequestRow {
  id: string;
  caseReference: string;
  kind: string;
  establishmentName: string;
  detaineeName: string;
  visitorGivenName: string;
  visitorFamilyName: string;
  visitorBirthdate: string;
  channel: string;
  receivedAt: Date;
  status: string;
  wishedFrom: string;
  wishedTo: string;
  wishedHours: number;
  childExitTime: string | null;
  childCarer: string | null;
  decidedAt: Date | null;
  grantedHours: number | null;
  decisionMotivation: string | null;
  withdrawnAt: Date | null;
}

export function familyVisitRequestsOf(db: EntityManager, familyId: string): Promise<FamilyVisitRequestRow[]> {
  return select<FamilyVisitRequestRow>(
    db,
    `SELECT r.id, c.reference AS "caseReference", c.kind, e.name AS "establishmentName", d.first_name || ' ' || d.last_name AS "detaineeName",
            p.visitor_given_name AS "visitorGivenName", p.visitor_family_name AS "visitorFamilyName",
            to_char(p.visitor_birthdate, 'YYYY-MM-DD') AS "visitorBirthdate", r.channel, r.received_at AS "receivedAt", r.status,
            to_char(r.wished_from, 'YYYY-MM-DD') AS "wishedFrom", to_char(r.wished_to, 'YYYY-MM-DD') AS "wishedTo",
            r.wished_hours AS "wishedHours", to_char(r.child_exit_time, 'HH24:MI') AS "childExitTime", r.child_carer AS "childCarer",
            r.decided_at AS "decidedAt", r.granted_hours AS "grantedHours", r.decision_motivation AS "decisionMotivation",
            r.withdrawn_at AS "withdrawnAt"
       FROM family_visit_requests r JOIN family_visit_cases c ON c.id = r.case_id JOIN permits p ON p.id = r.permit_id
       JOIN establishments e ON e.id = c.establishment_id JOIN detainees d ON d.id = c.detainee_id
      WHERE r.id IN ${FAMILY_VISIT_REQUEST_IDS}
      ORDER BY r.received_at, r.id`,
    [familyId],
  );
}

export interface FamilyVisitDocumentRow {
  requestId: string;
  kind: string;
  originalName: string;
  receivedAt: Date;
  deletedAt: Date | null;
}

export function familyVisitDocumentsOf(db: EntityManager, familyId: string): Promise<FamilyVisitDocumentRow[]> {
  return select<FamilyVisitDocumentRow>(
    db,
    `SELECT request_id AS "requestId", kind, original_name AS "originalName", created_at AS "receivedAt", deleted_at AS "deletedAt"
       FROM family_visit_documents WHERE request_id IN ${FAMILY_VISIT_REQUEST_IDS}
      ORDER BY created_at, id`,
    [familyId],
  );
}

/** The history lines of the family's UVF / PF requests that it reads on its pages; never the staff's. */
export interface FamilyVisitEventRow {
  requestId: string;
  at: Date;
  message: string | null;
}

export function familyVisitEventsOf(db: EntityManager, familyId: string): Promise<FamilyVisitEventRow[]> {
  return select<FamilyVisitEventRow>(
    db,
    `SELECT request_id AS "requestId", at, message FROM family_visit_events
      WHERE visible_to_family AND request_id IN ${FAMILY_VISIT_REQUEST_IDS}
      ORDER BY at, id`,
    [familyId],
  );
}

/** The SPIP's interviews of the family's requests: when, how, their status; never the counsellor's notes or assessments. */
export interface InterviewRow {
  requestId: string;
  at: Date;
  mode: string;
  status: string;
}

export function interviewsOf(db: EntityManager, familyId: string): Promise<InterviewRow[]> {
  return select<InterviewRow>(
    db,
    `SELECT request_id AS "requestId", at, mode, status FROM family_visit_interviews
      WHERE request_id IN ${FAMILY_VISIT_REQUEST_IDS}
      ORDER BY at, id`,
    [familyId],
  );
}

export interface StayRow {
  id: string;
  kind: string;
  unitName: string;
  establishmentName: string;
  detaineeName: string;
  startsAt: Date;
  endsAt: Date;
  status: string;
}

export function staysOf(db: EntityManager, familyId: string): Promise<StayRow[]> {
  return select<StayRow>(
    db,
    `SELECT s.id, u.kind, u.name AS "unitName", e.name AS "establishmentName", d.first_name || ' ' || d.last_name AS "detaineeName",
            lower(s.during) AS "startsAt", upper(s.during) AS "endsAt", s.status
       FROM family_visit_stays s JOIN family_units u ON u.id = s.unit_id JOIN family_visit_cases c ON c.id = s.case_id
       JOIN establishments e ON e.id = c.establishment_id JOIN detainees d ON d.id = c.detainee_id
      WHERE s.case_id IN ${FAMILY_STAY_CASES}
      ORDER BY lower(s.during), s.id`,
    [familyId],
  );
}

export interface AppointmentRow {
  kind: string;
  reference: string;
  establishmentName: string;
  startsAt: Date;
  endsAt: Date;
  place: string;
  status: string;
  contactEmail: string | null;
  contactPhone: string | null;
  cancelledAt: Date | null;
}

export function appointmentsOf(db: EntityManager, familyId: string): Promise<AppointmentRow[]> {
  return select<AppointmentRow>(
    db,
    `SELECT a.kind, a.reference, e.name AS "establishmentName", a.starts_at AS "startsAt", a.ends_at AS "endsAt", a.place, a.status,
            a.contact_email AS "contactEmail", a.contact_phone AS "contactPhone", a.cancelled_at AS "cancelledAt"
       FROM appointments a JOIN establishments e ON e.id = a.establishment_id
      WHERE a.family_account_id = $1
      ORDER BY a.starts_at, a.id`,
    [familyId],
  );
}

/**
 * The messages P2V sent (or will send) to the family: those about its own appointments, permit requests,
 * permits, waiting-list entries and UVF / PF requests; and those about a UVF / PF case or stay it takes
 * part in, sent to its own e-mail or mobile number (a case's other families get theirs). Not a message
 * sent to a number because it is a detainee's video-call contact: the contact is the detainee's, not
 * tied to an account.
 */
export interface MessageRow {
  channel: string;
  address: string;
  subject: string | null;
  bodyText: string;
  createdAt: Date;
  sentAt: Date | null;
  status: string;
}

export function messagesOf(db: EntityManager, familyId: string, email: string | null, phone: string | null): Promise<MessageRow[]> {
  return select<MessageRow>(
    db,
    `SELECT n.channel, r.address, n.subject, n.body_text AS "bodyText", n.created_at AS "createdAt", n.sent_at AS "sentAt", n.status
       FROM notifications n JOIN notification_recipients r ON r.id = n.recipient_id
      WHERE (n.entity_type = 'appointment' AND n.entity_id IN (SELECT id FROM appointments WHERE family_account_id = $1))
         OR (n.entity_type = 'permit_request' AND n.entity_id IN (SELECT id FROM permit_requests WHERE family_account_id = $1))
         OR (n.entity_type = 'permit' AND n.entity_id IN (SELECT id FROM permits WHERE family_account_id = $1))
         OR (n.entity_type = 'visit_waitlist' AND n.entity_id IN (SELECT id FROM visit_waitlist WHERE family_account_id = $1))
         OR (n.entity_type = 'family_visit_request' AND n.entity_id IN ${FAMILY_VISIT_REQUEST_IDS})
         OR (((n.entity_type = 'family_visit_case' AND n.entity_id IN (SELECT case_id FROM family_visit_requests WHERE id IN ${FAMILY_VISIT_REQUEST_IDS}))
              OR (n.entity_type = 'family_visit_stay' AND n.entity_id IN (SELECT id FROM family_visit_stays WHERE case_id IN ${FAMILY_STAY_CASES})))
             AND ((r.channel = 'EMAIL' AND r.address = lower(trim($2))) OR (r.channel = 'SMS' AND r.address = $3)))
      ORDER BY n.created_at, n.id`,
    [familyId, email, phone],
  );
}

/** The family's sign-ins, sign-outs, exports and reopenings (from the audit log: its own actions on its account). */
export interface ConnectionRow {
  at: Date;
  action: string;
}

export const CONNECTION_ACTIONS = ['FAMILY_SIGNED_IN', 'FAMILY_SIGNED_OUT', 'FAMILY_DATA_EXPORTED', 'FAMILY_ACCOUNT_REOPENED'] as const;

export function connectionsOf(db: EntityManager, familyId: string): Promise<ConnectionRow[]> {
  return select<ConnectionRow>(
    db,
    `SELECT occurred_at AS at, action FROM audit_log
      WHERE actor_type = 'FAMILY' AND actor_id = $1 AND entity_type = 'family_account' AND entity_id = $1::text
        AND action = ANY($2::text[])
      ORDER BY id`,
    [familyId, [...CONNECTION_ACTIONS]],
  );
}

/** How many failed detainee look-ups and permit claim codes are counted against the account (kept 30 days). */
export interface CounterRow {
  lookupFailures: number;
  claimFailures: number;
}

export async function countersOf(db: EntityManager, familyId: string): Promise<CounterRow> {
  return (await selectOne<CounterRow>(
    db,
    `SELECT (SELECT count(*)::int FROM permit_lookup_failures WHERE family_account_id = $1) AS "lookupFailures",
            (SELECT count(*)::int FROM permit_claim_failures WHERE family_account_id = $1) AS "claimFailures"`,
    [familyId],
  ))!;
}

// ---- Closing the account: what is still pending --------------------------------------------

/** A procedure that keeps the account open, as the closure's page names it. */
export type PendingRow =
  | { kind: 'PERMIT_REQUEST'; id: string; reference: string | null; status: string; at: Date; detaineeName: string | null }
  | { kind: 'VISIT'; id: string; reference: string; at: Date; endsAt: Date; detaineeName: string; timeZone: string }
  | { kind: 'WAITLIST'; id: string; reference: null; status: string; at: Date; detaineeName: string; timeZone: string }
  | { kind: 'FAMILY_VISIT_REQUEST'; id: string; reference: string; visitKind: string; status: string; at: Date }
  | { kind: 'STAY'; id: string; visitKind: string; at: Date; endsAt: Date; timeZone: string }
  | { kind: 'APPOINTMENT'; id: string; appointmentKind: string; at: Date; endsAt: Date; timeZone: string }
  | { kind: 'PERMIT_MEASURE'; id: string; permitId: string; measureKind: string; status: string; at: Date; detaineeName: string };

/**
 * Every procedure of the family still under way at `now`: a permit request not decided (a draft too), a visit
 * not over, a waiting-list entry for a slot to come, a UVF / PF request not decided, a stay not over, an
 * interview or video call booked, a measure on one of its permits not decided. Run in the closure's
 * transaction, after the account's lock: a booking committed before the lock is seen here.
 */
export async function pendingOf(db: EntityManager, familyId: string, now: Date): Promise<PendingRow[]> {
  const requests = await select<Extract<PendingRow, { kind: 'PERMIT_REQUEST' }>>(
    db,
    `SELECT 'PERMIT_REQUEST' AS kind, r.id, r.reference, r.status, coalesce(r.submitted_at, r.created_at) AS at,
            d.first_name || ' ' || d.last_name AS "detaineeName"
       FROM permit_requests r LEFT JOIN detainees d ON d.id = r.detainee_id
      WHERE r.family_account_id = $1 AND r.status IN ('DRAFT', 'SUBMITTED', 'INCOMPLETE', 'READY')
      ORDER BY r.created_at, r.id`,
    [familyId],
  );
  const visits = await select<Extract<PendingRow, { kind: 'VISIT' }>>(
    db,
    `SELECT 'VISIT' AS kind, v.id, v.reference, lower(v.during) AS at, upper(v.during) AS "endsAt",
            d.first_name || ' ' || d.last_name AS "detaineeName", e.time_zone AS "timeZone"
       FROM visits v JOIN detainees d ON d.id = v.detainee_id JOIN establishments e ON e.id = v.establishment_id
      WHERE v.family_account_id = $1 AND v.status IN ('BOOKED', 'IN_PROGRESS') AND upper(v.during) > $2
      ORDER BY lower(v.during), v.id`,
    [familyId, now],
  );
  const waitlist = await select<Extract<PendingRow, { kind: 'WAITLIST' }>>(
    db,
    `SELECT 'WAITLIST' AS kind, w.id, NULL AS reference, w.status, w.starts_at AS at, d.first_name || ' ' || d.last_name AS "detaineeName",
            e.time_zone AS "timeZone"
       FROM visit_waitlist w JOIN detainees d ON d.id = w.detainee_id JOIN establishments e ON e.id = w.establishment_id
      WHERE w.family_account_id = $1 AND w.status IN ('WAITING', 'OFFERED') AND w.starts_at > $2
      ORDER BY w.starts_at, w.id`,
    [familyId, now],
  );
  const familyVisits = await select<Extract<PendingRow, { kind: 'FAMILY_VISIT_REQUEST' }>>(
    db,
    `SELECT 'FAMILY_VISIT_REQUEST' AS kind, r.id, c.reference, c.kind AS "visitKind", r.status, r.received_at AS at
       FROM family_visit_requests r JOIN family_visit_cases c ON c.id = r.case_id
      WHERE r.id IN ${FAMILY_VISIT_REQUEST_IDS} AND r.status IN ('RECEIVED', 'REFERRED')
      ORDER BY r.received_at, r.id`,
    [familyId],
  );
  const stays = await select<Extract<PendingRow, { kind: 'STAY' }>>(
    db,
    `SELECT 'STAY' AS kind, s.id, u.kind AS "visitKind", lower(s.during) AS at, upper(s.during) AS "endsAt", e.time_zone AS "timeZone"
       FROM family_visit_stays s JOIN family_units u ON u.id = s.unit_id JOIN establishments e ON e.id = u.establishment_id
      WHERE s.case_id IN ${FAMILY_STAY_CASES} AND s.status IN ('BOOKED', 'IN_PROGRESS') AND upper(s.during) > $2
      ORDER BY lower(s.during), s.id`,
    [familyId, now],
  );
  // A visit's own appointment is its visit (above); the others: SPIP interviews, video calls.
  const appointments = await select<Extract<PendingRow, { kind: 'APPOINTMENT' }>>(
    db,
    `SELECT 'APPOINTMENT' AS kind, a.id, a.kind AS "appointmentKind", a.starts_at AS at, a.ends_at AS "endsAt", e.time_zone AS "timeZone"
       FROM appointments a JOIN establishments e ON e.id = a.establishment_id
      WHERE a.family_account_id = $1 AND a.kind <> 'VISIT' AND a.status = 'BOOKED' AND a.ends_at > $2
      ORDER BY a.starts_at, a.id`,
    [familyId, now],
  );
  const measures = await select<Extract<PendingRow, { kind: 'PERMIT_MEASURE' }>>(
    db,
    `SELECT 'PERMIT_MEASURE' AS kind, m.id, m.permit_id AS "permitId", m.kind AS "measureKind", m.status, m.proposed_at AS at,
            d.first_name || ' ' || d.last_name AS "detaineeName"
       FROM permit_measures m JOIN permits p ON p.id = m.permit_id JOIN detainees d ON d.id = p.detainee_id
      WHERE p.family_account_id = $1 AND m.status IN ('PROPOSED', 'REFERRED')
      ORDER BY m.proposed_at, m.id`,
    [familyId],
  );
  return [...requests, ...visits, ...waitlist, ...familyVisits, ...stays, ...appointments, ...measures];
}
