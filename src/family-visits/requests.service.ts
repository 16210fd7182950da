import { Inject, Injectable } from '@nestjs/common';
import { formatInTimeZone, fromZonedTime } from 'date-fns-tz';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { pageInfo, type Page } from '../common/pagination';
import { newReference } from '../common/reference';
import { NotificationsService } from '../notifications/notifications.service';
import { lettersOfFamily } from '../permits/letters';
import { PermitFileStore } from '../permits/permit-files';
import { permitState } from '../permits/permit-validity';
import { checkDocument } from '../permits/uploads';
import type { FamilyVisitKind } from './family-unit.entity';
import { unitsOf } from './units.queries';
import type { FamilyVisitCaseStatus } from './family-visit-case.entity';
import type { ConsentCapacity } from './family-visit-document.entity';
import {
  caseOfEstablishment,
  casesOfEstablishment,
  countCases,
  countRequestsOfFamily,
  departmentOf,
  detaineeOfPermits,
  detaineeRequestReceived,
  documentOfEstablishment,
  documentOfFamily,
  documentsOfRequests,
  familyEmail,
  familyEventsOfCase,
  familyInterviewsOfRequest,
  familyRequestsOfCase,
  insertCase,
  insertDocument,
  insertEvent,
  insertRequest,
  lockCase,
  lockDetainee,
  markWithdrawn,
  casesAwaitingDetainee,
  openCasesOverlapping,
  permitsOfDetainee,
  permitsOfFamily,
  presentDetainee,
  requestOfEstablishment,
  requestOfFamily,
  requestsOfCase,
  requestsOfFamily,
  setCaseStatus,
  setChildTerms,
  setRulesAcknowledged,
  stayAhead,
  staysOfCase,
  visitorNameOfRequest,
  type CaseRow,
  type DocumentRow,
  type FamilyRequestRow,
  type PermitForRequest,
  type RequestRow,
} from './requests.queries';
import {
  caseReference,
  caseStatusAfterWithdrawal,
  dayLabel,
  childExitRefusal,
  consentCompanionRefusal,
  durationRefusal,
  isMinorOn,
  joinPeriodRefusal,
  onlineCaseToJoin,
  periodRefusal,
  receiptRefusal,
  requestAcknowledgement,
  visitorsRefusal,
  VISIT_PHRASES,
  withdrawalDayRefusal,
  withdrawalRefusal,
  type VisitorOfRequest,
} from './requests.rules';
import { FAMILY_VISIT_DOCUMENTS } from './instruction-documents';
import { FamilyVisitInstructionService } from './instruction.service';
import { needsMagistrate } from './decision.rules';
import { reportWithdrawalToMagistrate } from './decisions.service';
import { interviewCard, sortInterviews, stayVisible } from './family-page.rules';
import { dayIn, dayTimeIn, hourIn, stayStatusLabel, whenIn, zoneNoteIn } from './family-texts';
import { tr } from '../common/translate';

export interface WishedVisit {
  kind: FamilyVisitKind;
  wishedFrom: string;
  wishedTo: string;
  hours: number;
}

export interface UploadedFile {
  buffer: Buffer;
  originalname: string;
}

export interface DocumentInput {
  kind: 'PARENTAL_CONSENT' | 'RULES_ACKNOWLEDGEMENT';
  consentGivenBy: string | null;
  consentCapacity: ConsentCapacity | null;
  /** A consent: the accompanying adult it names (« le nom et prénom de l'adulte qui accompagnera »). */
  consentCompanion: string | null;
  childExitTime: string | null;
  childCarer: string | null;
}

const PAGE_SIZE = 20;
const OPEN_STATES = ['ACTIVE'];
/**
 * A case that still receives requests (as openCaseOverlapping): under instruction only. Once the CPU
 * gave its opinion (or the case went to the magistrate), a new request opens a new case, instructed
 * and decided in its turn: it never joins a decision that did not examine it.
 */
const OPEN_CASE_STATES = ['INSTRUCTION'];

const refused = (code: string, message: string) => new DomainError(code, message, 422);
const caseNotFound = () => new DomainError('NOT_FOUND', 'Dossier introuvable.', 404);
const requestNotFound = () => new DomainError('NOT_FOUND', 'Demande introuvable.', 404);

function fullName(p: { givenName: string | null; familyName: string | null }): string {
  return `${p.givenName ?? ''} ${(p.familyName ?? '').toLocaleUpperCase('fr')}`.trim();
}

function wishedRefusal(w: WishedVisit, today: string): void {
  const duration = durationRefusal(w.kind, w.hours);
  if (duration) throw new DomainError('DURATION', duration, 422);
  const period = periodRefusal(w.wishedFrom, w.wishedTo, today);
  if (period) throw new DomainError('PERIOD', period, 422);
}

/**
 * The double request of a UVF or a family parlour: the detainee's (entered by the SPIP or the greffe
 * with its date of receipt) and each visitor's (online, or entered from a letter, an e-mail, at the
 * desk). Requests of one detainee and kind whose wished periods overlap make one case; each request
 * stays autonomous. Every change in a transaction, audited, with an event in the case's history.
 */
@Injectable()
export class FamilyVisitRequestsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    @Inject(FAMILY_VISIT_DOCUMENTS) private readonly store: PermitFileStore,
    private readonly instruction: FamilyVisitInstructionService,
  ) {}

  private today(timeZone: string): string {
    return formatInTimeZone(this.clock.now(), timeZone, 'yyyy-MM-dd');
  }

  private async newCase(
    m: EntityManager,
    establishmentId: string,
    detaineeId: string,
    w: WishedVisit,
    createdBy: string | null,
  ): Promise<{ id: string; reference: string }> {
    const reference = caseReference(newReference());
    const id = await insertCase(m, {
      reference,
      establishmentId,
      detaineeId,
      kind: w.kind,
      from: w.wishedFrom,
      to: w.wishedTo,
      hours: w.hours,
      createdBy,
    });
    return { id, reference };
  }

  // ---- staff ----

  async cases(establishmentId: string, page: number): Promise<{ cases: CaseRow[]; page: Page }> {
    const db = this.dataSource.manager;
    const total = await countCases(db, establishmentId);
    return {
      cases: await casesOfEstablishment(db, establishmentId, PAGE_SIZE, (page - 1) * PAGE_SIZE),
      page: pageInfo(page, PAGE_SIZE, total),
    };
  }

  /**
   * The cases of the detainee (by écrou) and kind, overlapping the wished period, still waiting for the
   * detainee's own request: the staff choose the one the request joins, or a new case.
   */
  async casesAwaitingDetainee(establishmentId: string, ecrou: string, w: { kind: FamilyVisitKind; wishedFrom: string; wishedTo: string }) {
    const db = this.dataSource.manager;
    const detainee = await presentDetainee(db, establishmentId, ecrou);
    return detainee ? casesAwaitingDetainee(db, detainee.id, w) : [];
  }

  /**
   * The detainee's request: when cases of the same kind and overlapping period are waiting for it
   * (visitors' requests came first), the staff choose explicitly the one it joins (`caseChoice` = its id) or a new case
   * (`caseChoice` = NEW); without a choice it is refused (422) and the choice is offered. Else a new case.
   */
  async enterDetaineeRequest(
    actor: Actor & { id: string },
    establishment: { id: string; timeZone: string },
    input: WishedVisit & { ecrou: string; receivedOn: string; caseChoice?: string | null },
  ): Promise<{ caseId: string }> {
    const today = this.today(establishment.timeZone);
    const receipt = receiptRefusal(input.receivedOn, today);
    if (receipt) throw new DomainError('RECEIVED', receipt, 422);
    wishedRefusal(input, today);
    return this.dataSource.transaction(async (m) => {
      const detainee = await presentDetainee(m, establishment.id, input.ecrou);
      if (!detainee) throw new DomainError('ECROU', 'Aucune personne détenue présente dans l’établissement n’a ce numéro d’écrou.', 422);
      await lockDetainee(m, detainee.id);
      const waiting = await casesAwaitingDetainee(m, detainee.id, input, true);
      let open: { id: string } | null = null;
      if (input.caseChoice && input.caseChoice !== 'NEW') {
        open = waiting.find((w) => w.id === input.caseChoice) ?? null;
        if (!open) {
          throw refused(
            'CASE_CHOICE',
            'Ce dossier n’attend plus la demande de la personne détenue : choisissez un autre dossier ou un nouveau dossier.',
          );
        }
      } else if (!input.caseChoice && waiting.length > 0) {
        throw refused(
          'CASE_CHOICE',
          'Des demandes de visiteurs attendent déjà celle de cette personne détenue : choisissez le dossier qu’elle rejoint, ou un nouveau dossier.',
        );
      }
      const c = open ? { id: open.id, reference: null } : await this.newCase(m, establishment.id, detainee.id, input, actor.id);
      const requestId = await insertRequest(m, {
        caseId: c.id,
        applicant: 'DETAINEE',
        permitId: null,
        familyAccountId: null,
        channel: 'LETTER',
        receivedAt: fromZonedTime(`${input.receivedOn} 12:00`, establishment.timeZone),
        accompaniedBy: null,
        wish: { from: input.wishedFrom, to: input.wishedTo, hours: input.hours },
      });
      await insertEvent(m, {
        caseId: c.id,
        requestId,
        kind: 'REQUEST_RECEIVED',
        message: `Demande de la personne détenue reçue le ${input.receivedOn}${c.reference ? ` (dossier ${c.reference} ouvert)` : ''}.`,
        visibleToFamily: false,
        actorType: 'AGENT',
        actorId: actor.id,
      });
      await this.audit.record(
        {
          actor,
          action: 'FAMILY_VISIT_REQUEST_ENTERED',
          entityType: 'family_visit_request',
          entityId: requestId,
          establishmentId: establishment.id,
          after: { caseId: c.id, applicant: 'DETAINEE', kind: input.kind, receivedOn: input.receivedOn, joined: open !== null },
        },
        m,
      );
      return { caseId: c.id };
    });
  }

  async casePage(establishment: { id: string; timeZone: string }, caseId: string) {
    const db = this.dataSource.manager;
    const c = await caseOfEstablishment(db, establishment.id, caseId);
    if (!c) throw caseNotFound();
    const requests = await requestsOfCase(db, caseId);
    const documents = await documentsOfRequests(
      db,
      requests.map((r) => r.id),
    );
    const today = this.today(establishment.timeZone);
    const taken = new Set(requests.map((r) => r.permitId));
    const permits = (await permitsOfDetainee(db, c.detaineeId)).filter((p) => permitState(p, today) === 'ACTIVE' && !taken.has(p.id));
    // Each request's minority on its own first wished day.
    const adults = requests.filter((r) => r.applicant === 'VISITOR' && r.birthdate && !isMinorOn(r.birthdate, r.ownWishedFrom));
    return {
      c,
      requests: requests.map((r) => ({
        ...r,
        name: r.applicant === 'DETAINEE' ? null : fullName(r),
        withdrawable: withdrawalRefusal(r.status) === null,
        withdrawnOn: r.withdrawnAt ? dayLabel(formatInTimeZone(new Date(r.withdrawnAt), establishment.timeZone, 'yyyy-MM-dd')) : null,
      })),
      documents,
      permits,
      adults,
    };
  }

  /** A visitor's request entered from a letter, an e-mail or at the desk: one of the detainee's permits, active today. */
  async enterVisitorRequest(
    actor: Actor & { id: string },
    establishment: { id: string; timeZone: string },
    caseId: string,
    input: {
      permitId: string;
      receivedOn: string;
      channel: 'LETTER' | 'EMAIL' | 'IN_PERSON';
      accompaniedBy: string | null;
      /** The visitor's own wished period and duration, where they differ from the case's. */
      wishedFrom?: string | null;
      wishedTo?: string | null;
      hours?: number | null;
    },
  ): Promise<void> {
    const today = this.today(establishment.timeZone);
    const receipt = receiptRefusal(input.receivedOn, today);
    if (receipt) throw new DomainError('RECEIVED', receipt, 422);
    await this.dataSource.transaction(async (m) => {
      if (!(await caseOfEstablishment(m, establishment.id, caseId))) throw caseNotFound();
      await lockCase(m, caseId);
      // Read again once locked: a CPU opinion or a referral committed meanwhile closes the case to new requests.
      const c = (await caseOfEstablishment(m, establishment.id, caseId))!;
      if (!OPEN_CASE_STATES.includes(c.status))
        throw refused(
          'CLOSED',
          'L’instruction de ce dossier est terminée (avis de la CPU rendu, dossier transmis ou décidé) : enregistrez cette demande dans un nouveau dossier.',
        );
      const permit = (await permitsOfDetainee(m, c.detaineeId)).find((p) => p.id === input.permitId);
      const requests = await requestsOfCase(m, caseId);
      if (requests.some((r) => r.permitId === input.permitId)) {
        throw refused('DUPLICATE', 'Ce visiteur a déjà une demande dans ce dossier.');
      }
      const others: VisitorOfRequest[] = requests
        .filter((r) => r.applicant === 'VISITOR' && r.birthdate)
        .map((r) => ({ key: r.id, name: fullName(r), birthdate: r.birthdate!, holdsPermit: true, accompaniedBy: r.accompaniedBy }));
      const visitor: VisitorOfRequest = {
        key: input.permitId,
        name: permit ? fullName(permit) : 'Ce visiteur',
        birthdate: permit?.birthdate ?? '1900-01-01',
        holdsPermit: permit !== undefined && permitState(permit, today) === 'ACTIVE',
        accompaniedBy: input.accompaniedBy,
      };
      const wish: WishedVisit = {
        kind: c.kind,
        wishedFrom: input.wishedFrom ?? c.wishedFrom,
        wishedTo: input.wishedTo ?? c.wishedTo,
        hours: input.hours ?? c.wishedHours,
      };
      if (input.wishedFrom || input.wishedTo || input.hours) wishedRefusal(wish, today);
      // Requests whose wished periods overlap make one case: one for another period opens its own.
      const apart = joinPeriodRefusal({ from: wish.wishedFrom, to: wish.wishedTo }, { from: c.wishedFrom, to: c.wishedTo });
      if (apart) throw refused('PERIOD', apart);
      // A minor (and the adult who accompanies them) on the request's own first wished day.
      const refusal = visitorsRefusal(c.kind, [visitor], wish.wishedFrom, others);
      if (refusal) throw refused('VISITORS', refusal);
      const minor = isMinorOn(visitor.birthdate, wish.wishedFrom);
      const requestId = await insertRequest(m, {
        caseId,
        applicant: 'VISITOR',
        permitId: input.permitId,
        familyAccountId: permit!.familyAccountId,
        channel: input.channel,
        receivedAt: fromZonedTime(`${input.receivedOn} 12:00`, establishment.timeZone),
        accompaniedBy: minor ? input.accompaniedBy : null,
        wish: { from: wish.wishedFrom, to: wish.wishedTo, hours: wish.hours },
      });
      await insertEvent(m, {
        caseId,
        requestId,
        kind: 'REQUEST_RECEIVED',
        message: `Demande de ${visitor.name} reçue le ${input.receivedOn}.`,
        visibleToFamily: true,
        actorType: 'AGENT',
        actorId: actor.id,
      });
      await this.audit.record(
        {
          actor,
          action: 'FAMILY_VISIT_REQUEST_ENTERED',
          entityType: 'family_visit_request',
          entityId: requestId,
          establishmentId: establishment.id,
          after: { caseId, applicant: 'VISITOR', permitId: input.permitId, channel: input.channel, receivedOn: input.receivedOn },
        },
        m,
      );
    });
  }

  async staffDocument(establishmentId: string, documentId: string): Promise<{ content: Buffer; contentType: string }> {
    const doc = await documentOfEstablishment(this.dataSource.manager, establishmentId, documentId);
    if (!doc) throw new DomainError('NOT_FOUND', 'Document introuvable.', 404);
    return { content: await this.store.get(doc.storageKey), contentType: doc.contentType };
  }

  // ---- family ----

  async myRequests(familyAccountId: string, page: number): Promise<{ requests: FamilyRequestRow[]; page: Page }> {
    const db = this.dataSource.manager;
    const total = await countRequestsOfFamily(db, familyAccountId);
    const requests = await requestsOfFamily(db, familyAccountId, PAGE_SIZE, (page - 1) * PAGE_SIZE);
    return { requests, page: pageInfo(page, PAGE_SIZE, total) };
  }

  /** The detainees for whom the family holds an active permit, with those permits. */
  async myDetainees(familyAccountId: string) {
    const db = this.dataSource.manager;
    const byDetainee = new Map<string, PermitForRequest[]>();
    for (const p of await permitsOfFamily(db, familyAccountId)) byDetainee.set(p.detaineeId, [...(byDetainee.get(p.detaineeId) ?? []), p]);
    const out = [];
    for (const [detaineeId, permits] of byDetainee) {
      const d = await detaineeOfPermits(db, detaineeId);
      if (!d) continue;
      const active = permits.filter((p) => OPEN_STATES.includes(permitState(p, this.today(d.timeZone))));
      if (active.length) out.push({ detainee: d, permits: active.map((p) => ({ ...p, name: fullName(p) })) });
    }
    return out;
  }

  async myDetainee(familyAccountId: string, detaineeId: string) {
    const found = (await this.myDetainees(familyAccountId)).find((d) => d.detainee.id === detaineeId);
    if (!found) throw new DomainError('NOT_FOUND', 'Personne détenue introuvable.', 404);
    return found;
  }

  /**
   * The family's online request: each chosen permit holder becomes a visitor's request; joins the
   * open case of the detainee and kind whose wished period overlaps, else opens one (the detainee's
   * own request comes later, entered by the staff). The family gets an acknowledgement e-mail.
   */
  async fileOnline(
    family: Actor & { id: string },
    detaineeId: string,
    input: WishedVisit & { visitors: string[]; companions: Record<string, string> },
  ): Promise<{ reference: string }> {
    const mine = await this.myDetainee(family.id, detaineeId);
    const d = mine.detainee;
    const today = this.today(d.timeZone);
    wishedRefusal(input, today);
    return this.dataSource.transaction(async (m) => {
      await lockDetainee(m, detaineeId);
      const permits = (await permitsOfFamily(m, family.id)).filter(
        (p) => p.detaineeId === detaineeId && permitState(p, today) === 'ACTIVE',
      );
      const chosen = [...new Set(input.visitors)];
      const visitors: VisitorOfRequest[] = chosen.map((id) => {
        const p = permits.find((x) => x.id === id);
        return {
          key: id,
          name: p ? fullName(p) : tr('familyVisits:errors.thisVisitor'),
          birthdate: p?.birthdate ?? '1900-01-01',
          holdsPermit: p !== undefined,
          accompaniedBy: input.companions[id] ?? null,
        };
      });
      // Joins only a case of the same family group (its own request, or the detainee's with no other family in it).
      const candidates = await openCasesOverlapping(m, detaineeId, input.kind, input.wishedFrom, input.wishedTo, family.id);
      const joinId = onlineCaseToJoin(candidates);
      const open = candidates.find((x) => x.id === joinId) ?? null;
      // The minors (and their companions) on the family's own first wished day, the case's or not.
      const start = input.wishedFrom;
      // The family's own requests already in the case: an adult who filed first may accompany a child added now.
      const inCase = open ? await requestsOfCase(m, open.id) : [];
      const ownInCase = inCase.filter((r) => r.applicant === 'VISITOR' && r.birthdate && permits.some((p) => p.id === r.permitId));
      const others: VisitorOfRequest[] = ownInCase.map((r) => ({
        key: r.permitId!,
        name: fullName(r),
        birthdate: r.birthdate!,
        holdsPermit: true,
        accompaniedBy: null,
      }));
      const already = inCase.find((r) => r.permitId && chosen.includes(r.permitId));
      if (already) throw refused('DUPLICATE', tr('familyVisits:errors.duplicate', { name: fullName(already) }));
      const refusal = visitorsRefusal(input.kind, visitors, start, others);
      if (refusal) throw refused('VISITORS', refusal);
      let c: { id: string; reference: string };
      if (open) {
        const row = await caseOfEstablishment(m, d.establishmentId, open.id);
        c = { id: open.id, reference: row!.reference };
      } else {
        c = await this.newCase(m, d.establishmentId, detaineeId, input, null);
      }
      const now = this.clock.now();
      // Request of each visitor by permit: those filed now, and the family's already in the case.
      const ids = new Map<string, string>(ownInCase.map((r) => [r.permitId!, r.id]));
      // Adults first, so that a minor's request points to its companion's.
      const ordered = [...visitors].sort((a, b) => Number(isMinorOn(a.birthdate, start)) - Number(isMinorOn(b.birthdate, start)));
      for (const v of ordered) {
        const minor = isMinorOn(v.birthdate, start);
        const requestId = await insertRequest(m, {
          caseId: c.id,
          applicant: 'VISITOR',
          permitId: v.key,
          familyAccountId: family.id,
          channel: 'ONLINE',
          receivedAt: now,
          accompaniedBy: minor ? (ids.get(v.accompaniedBy!) ?? null) : null,
          wish: { from: input.wishedFrom, to: input.wishedTo, hours: input.hours },
        });
        ids.set(v.key, requestId);
        await insertEvent(m, {
          caseId: c.id,
          requestId,
          kind: 'REQUEST_RECEIVED',
          message: `Demande de ${v.name} déposée en ligne.`,
          visibleToFamily: true,
          actorType: 'FAMILY',
          actorId: family.id,
        });
        await this.audit.record(
          {
            actor: family,
            action: 'FAMILY_VISIT_REQUEST_FILED',
            entityType: 'family_visit_request',
            entityId: requestId,
            establishmentId: d.establishmentId,
            after: { caseId: c.id, permitId: v.key, kind: input.kind, joined: open !== null },
          },
          m,
        );
      }
      const account = await familyEmail(m, family.id);
      if (account?.email) {
        // The acknowledgement (CRPA L112-3, R112-5): receipt, implicit rejection day, department, recourse; a prévenu's goes to the magistrate.
        const ack = requestAcknowledgement(today, needsMagistrate(d.legalStatus), await departmentOf(m, d.establishmentId));
        await this.notifications.enqueue(m, {
          channel: 'EMAIL',
          to: account.email,
          template: 'family-visit-request-received',
          category: 'TRANSACTIONAL',
          data: {
            reference: c.reference,
            kind: input.kind,
            kindLabel: VISIT_PHRASES[input.kind],
            detainee: `${d.firstName} ${d.lastName.toLocaleUpperCase('fr')}`,
            establishmentName: d.establishmentName,
            visitors: visitors.map((v) => v.name),
            followUrl: '/uvf',
            ...ack,
          },
          entity: { type: 'family_visit_case', id: c.id },
          establishmentId: d.establishmentId,
        });
      }
      return { reference: c.reference };
    });
  }

  /**
   * The page of one of the family's requests: its status and those of the family's other requests in
   * the case (a minor with the adult who accompanies them), whether the detainee's own request came,
   * the history the family may read, the request's interviews with the SPIP and their convocations,
   * and the stay booked once one of the family's requests is granted. Another family's request: 404.
   */
  async myRequest(familyAccountId: string, requestId: string) {
    const db = this.dataSource.manager;
    const r = await requestOfFamily(db, familyAccountId, requestId);
    if (!r) throw requestNotFound();
    const now = this.clock.now();
    const [documents, family, detaineeReceived, interviews, letters, units] = await Promise.all([
      documentsOfRequests(db, [r.id]),
      familyRequestsOfCase(db, familyAccountId, r.caseId),
      detaineeRequestReceived(db, r.caseId),
      familyInterviewsOfRequest(db, familyAccountId, r.id),
      lettersOfFamily(db, familyAccountId),
      unitsOf(db, r.establishmentId),
    ]);
    const events = await familyEventsOfCase(
      db,
      r.caseId,
      family.map((f) => f.id),
    );
    const stays = stayVisible(family.map((f) => f.status)) ? await staysOfCase(db, r.caseId) : [];
    // Each request's minority on its own first wished day.
    const minorOn = (birthdate: string | null, day: string) => birthdate !== null && isMinorOn(birthdate, day);
    const mine = family.find((f) => f.id === r.id);
    return {
      r: {
        ...r,
        name: fullName(r),
        minor: minorOn(r.birthdate, r.ownWishedFrom),
        grantedHours: mine?.grantedHours ?? null,
        companion: mine?.companionGivenName ? fullName({ givenName: mine.companionGivenName, familyName: mine.companionFamilyName }) : null,
        withdrawnOn: r.withdrawnAt ? dayIn(new Date(r.withdrawnAt), r.timeZone) : null,
        withdrawable: withdrawalRefusal(r.status) === null,
        withdrawalProblem: withdrawalRefusal(r.status),
      },
      documents,
      // The rules the applicant signs, readable before signing: those of the establishment's units of the kind.
      unitRules: units
        .filter((u) => u.active && u.kind === r.kind && u.houseRules)
        .map((u) => ({ name: u.name, houseRules: u.houseRules })),
      familyRequests: family.map((f) => ({
        id: f.id,
        status: f.status,
        name: fullName(f),
        minor: minorOn(f.birthdate, f.ownWishedFrom),
        companion: f.companionGivenName ? fullName({ givenName: f.companionGivenName, familyName: f.companionFamilyName }) : null,
        current: f.id === r.id,
      })),
      detaineeReceived,
      // The decision letters addressed to this account about the case (any of its requests in it).
      letters: letters.filter((l) => l.familyVisitCaseId === r.caseId),
      events: events.map((e) => ({ ...e, when: dayTimeIn(new Date(e.at), r.timeZone) })),
      interviews: sortInterviews(interviews.map((i) => interviewCard({ ...i, at: new Date(i.at) }, r.establishmentName, r.timeZone, now))),
      stays: stays.map((s) => ({
        ...s,
        from: whenIn(new Date(s.startsAt), r.timeZone),
        to: whenIn(new Date(s.endsAt), r.timeZone),
        breakTimes:
          s.breakFrom && s.breakTo
            ? { from: hourIn(new Date(s.breakFrom), r.timeZone), to: hourIn(new Date(s.breakTo), r.timeZone) }
            : null,
        zoneNote: zoneNoteIn(r.timeZone),
        statusLabel: stayStatusLabel(s.status),
      })),
    };
  }

  async myDocument(familyAccountId: string, documentId: string): Promise<{ content: Buffer; contentType: string }> {
    const doc = await documentOfFamily(this.dataSource.manager, familyAccountId, documentId);
    if (!doc) throw new DomainError('NOT_FOUND', 'Document introuvable.', 404);
    return { content: await this.store.get(doc.storageKey), contentType: doc.contentType };
  }

  /**
   * A document of the family's request: a minor's parental-authority consent (who gave it, in what
   * capacity; for a UVF, the child's exit time and who then looks after the child) or the applicant's
   * signed rules (the rules then count as acknowledged). Checked by content, stored encrypted; the file
   * is written before the transaction and deleted if it fails.
   */
  async uploadFamilyDocument(
    family: Actor & { id: string },
    requestId: string,
    input: DocumentInput,
    file: UploadedFile | undefined,
  ): Promise<void> {
    await this.upload(family, (m, lock) => requestOfFamily(m, family.id, requestId, lock), input, file);
  }

  /** A document received by post or at the desk, added by the staff to a request of the case. */
  async uploadStaffDocument(
    agent: Actor & { id: string },
    establishmentId: string,
    caseId: string,
    requestId: string,
    input: DocumentInput,
    file: UploadedFile | undefined,
  ): Promise<void> {
    await this.upload(agent, (m, lock) => requestOfEstablishment(m, establishmentId, caseId, requestId, lock), input, file);
  }

  private async upload(
    actor: Actor & { id: string },
    load: (
      m: EntityManager,
      lock: boolean,
    ) => Promise<(RequestRow & { establishmentId: string; kind: FamilyVisitKind; wishedFrom: string }) | null>,
    input: DocumentInput,
    file: UploadedFile | undefined,
  ): Promise<void> {
    const before = await load(this.dataSource.manager, false);
    if (!before) throw requestNotFound();
    this.documentRefusal(before, input, await this.companionOf(this.dataSource.manager, before, input));
    if (!file) throw new DomainError('NO_FILE', tr('familyVisits:errors.noFile'));
    const checked = await checkDocument(file.buffer);
    if (!checked.ok) throw new DomainError('BAD_FILE', checked.message);
    const { storageKey, sha256 } = await this.store.put(checked.content);
    try {
      await this.dataSource.transaction(async (m) => {
        const r = await load(m, true);
        if (!r) throw requestNotFound();
        this.documentRefusal(r, input, await this.companionOf(m, r, input));
        const documentId = await insertDocument(m, {
          requestId: r.id,
          kind: input.kind,
          consentGivenBy: input.kind === 'PARENTAL_CONSENT' ? input.consentGivenBy : null,
          consentCapacity: input.kind === 'PARENTAL_CONSENT' ? input.consentCapacity : null,
          consentCompanion: input.kind === 'PARENTAL_CONSENT' ? input.consentCompanion : null,
          storageKey,
          contentType: checked.contentType,
          sizeBytes: checked.content.length,
          sha256,
          originalName: file.originalname.slice(0, 200),
        });
        if (input.kind === 'PARENTAL_CONSENT') await setChildTerms(m, r.id, input.childExitTime, input.childCarer);
        else await setRulesAcknowledged(m, r.id, this.clock.now());
        const who = r.applicant === 'DETAINEE' ? 'la personne détenue' : fullName(r);
        await insertEvent(m, {
          caseId: r.caseId,
          requestId: r.id,
          kind: 'DOCUMENT_ADDED',
          message:
            input.kind === 'PARENTAL_CONSENT'
              ? `Accord des titulaires de l’autorité parentale reçu pour ${who}.`
              : `Règlement signé reçu de ${who}.`,
          visibleToFamily: r.applicant === 'VISITOR',
          actorType: actor.type === 'AGENT' ? 'AGENT' : 'FAMILY',
          actorId: actor.id,
        });
        await this.audit.record(
          {
            actor,
            action: 'FAMILY_VISIT_DOCUMENT_UPLOADED',
            entityType: 'family_visit_document',
            entityId: documentId,
            establishmentId: r.establishmentId,
            after: { requestId: r.id, kind: input.kind, sha256, consentCapacity: input.consentCapacity },
          },
          m,
        );
      });
    } catch (e) {
      await this.store.delete(storageKey).catch(() => undefined);
      throw e;
    }
  }

  /** A consent's minor: the name of the adult who accompanies them (their request's permit), null if none is recorded. */
  private async companionOf(m: EntityManager, r: RequestRow, input: DocumentInput): Promise<string | null> {
    if (input.kind !== 'PARENTAL_CONSENT' || !r.accompaniedBy) return null;
    const adult = await visitorNameOfRequest(m, r.accompaniedBy);
    return adult ? fullName(adult) : null;
  }

  // ---- withdrawal ----

  /** The family withdraws one of its own requests (after the confirmation page): 409 once decided. */
  async withdrawOwn(family: Actor & { id: string }, requestId: string): Promise<void> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const found = await requestOfFamily(m, family.id, requestId);
      if (!found) throw requestNotFound();
      await lockCase(m, found.caseId);
      const r = (await requestOfFamily(m, family.id, requestId, true))!;
      await this.withdraw(m, family, r, { id: r.establishmentId, name: r.establishmentName, timeZone: r.timeZone }, now, 'en ligne');
    });
  }

  /**
   * The staff record the withdrawal of any request of a case of their establishment, received by letter,
   * e-mail or at the desk, on the day it was made (between the receipt and today): 409 once decided.
   */
  async recordWithdrawal(
    agent: Actor & { id: string },
    establishment: { id: string; name: string; timeZone: string },
    caseId: string,
    requestId: string,
    withdrawnOn: string,
  ): Promise<void> {
    const today = this.today(establishment.timeZone);
    await this.dataSource.transaction(async (m) => {
      if (!(await caseOfEstablishment(m, establishment.id, caseId))) throw caseNotFound();
      await lockCase(m, caseId);
      const r = await requestOfEstablishment(m, establishment.id, caseId, requestId, true);
      if (!r) throw requestNotFound();
      const decided = withdrawalRefusal(r.status);
      if (decided) throw new DomainError('DECIDED', decided, 409);
      const day = withdrawalDayRefusal(withdrawnOn, formatInTimeZone(r.receivedAt, establishment.timeZone, 'yyyy-MM-dd'), today);
      if (day) throw refused('WITHDRAWN_ON', day);
      const at = fromZonedTime(`${withdrawnOn} 12:00`, establishment.timeZone);
      await this.withdraw(m, agent, r, establishment, at, `le ${withdrawnOn.split('-').reverse().join('/')}`);
    });
  }

  /** A request the staff may record a withdrawal of, with what the confirmation page reads back. */
  async withdrawalPage(establishment: { id: string; timeZone: string }, caseId: string, requestId: string) {
    const db = this.dataSource.manager;
    const c = await caseOfEstablishment(db, establishment.id, caseId);
    if (!c) throw caseNotFound();
    const r = await requestOfEstablishment(db, establishment.id, caseId, requestId);
    if (!r) throw requestNotFound();
    return {
      c,
      r: { ...r, name: r.applicant === 'DETAINEE' ? null : fullName(r) },
      problem: withdrawalRefusal(r.status),
      today: this.today(establishment.timeZone),
    };
  }

  /**
   * Withdraws the request (locked by the caller, with its case): status WITHDRAWN on `at`, an event in the
   * history, audited; one already transmitted to the magistrate is reported to him by a letter; the case
   * is DECIDED or CLOSED once every request is decided or withdrawn (CLOSED when no stay can come); the
   * family of a visitor's request is told by e-mail.
   */
  private async withdraw(
    m: EntityManager,
    actor: Actor & { id: string },
    r: RequestRow,
    establishment: { id: string; name: string; timeZone: string },
    at: Date,
    how: string,
  ): Promise<void> {
    const decided = withdrawalRefusal(r.status);
    if (decided) throw new DomainError('DECIDED', decided, 409);
    if (!(await markWithdrawn(m, r.id, at))) throw new DomainError('DECIDED', withdrawalRefusal('GRANTED')!, 409);
    const c = (await caseOfEstablishment(m, establishment.id, r.caseId))!;
    const who = r.applicant === 'DETAINEE' ? 'la personne détenue' : fullName(r);
    const byFamily = actor.type === 'FAMILY';
    await insertEvent(m, {
      caseId: c.id,
      requestId: r.id,
      kind: 'REQUEST_WITHDRAWN',
      message: `Demande de ${who} retirée ${how}${byFamily ? '' : ' (retrait enregistré par l’établissement)'}.`,
      visibleToFamily: r.applicant === 'VISITOR',
      actorType: byFamily ? 'FAMILY' : 'AGENT',
      actorId: actor.id,
    });
    // Transmitted to the magistrate, who is still seized: he is told, by a letter, that no answer is awaited on it.
    const magistrateLetter =
      r.status === 'REFERRED'
        ? await reportWithdrawalToMagistrate(m, this.audit, actor, {
            establishmentId: establishment.id,
            caseId: c.id,
            requestId: r.id,
            withdrawnAt: at,
            now: this.clock.now(),
          })
        : null;
    // Its scheduled SPIP interviews go with it: cancelled with their convocation and its reminders, as the counsellor's own cancel.
    const interviewsCancelled = await this.instruction.cancelInterviewsOfWithdrawnRequest(m, actor, establishment.id, c.id, r.id);
    const next = caseStatusAfterWithdrawal(c.status as FamilyVisitCaseStatus, await requestsOfCase(m, c.id), await stayAhead(m, c.id));
    if (next !== c.status) {
      await setCaseStatus(m, c.id, next);
      if (next === 'CLOSED') {
        await insertEvent(m, {
          caseId: c.id,
          requestId: null,
          kind: 'CASE_CLOSED',
          message: 'Dossier clos : chaque demande est décidée ou retirée, aucune visite n’aura lieu.',
          visibleToFamily: true,
          actorType: byFamily ? 'FAMILY' : 'AGENT',
          actorId: actor.id,
        });
      }
    }
    await this.audit.record(
      {
        actor,
        action: 'FAMILY_VISIT_REQUEST_WITHDRAWN',
        entityType: 'family_visit_request',
        entityId: r.id,
        establishmentId: establishment.id,
        before: { status: r.status, caseStatus: c.status },
        after: {
          status: 'WITHDRAWN',
          withdrawnAt: at.toISOString(),
          caseId: c.id,
          caseStatus: next,
          interviewsCancelled,
          magistrateLetter,
        },
      },
      m,
    );
    const account = r.applicant === 'VISITOR' && r.familyAccountId ? await familyEmail(m, r.familyAccountId) : null;
    if (account?.email) {
      await this.notifications.enqueue(m, {
        channel: 'EMAIL',
        to: account.email,
        template: 'family-visit-request-withdrawn',
        category: 'TRANSACTIONAL',
        data: {
          reference: c.reference,
          kind: c.kind,
          kindLabel: VISIT_PHRASES[c.kind],
          visitor: who,
          detainee: `${c.detaineeFirstName} ${c.detaineeLastName.toLocaleUpperCase('fr')}`,
          establishmentName: establishment.name,
          withdrawnOn: dayLabel(formatInTimeZone(at, establishment.timeZone, 'yyyy-MM-dd')),
          withdrawnDay: formatInTimeZone(at, establishment.timeZone, 'yyyy-MM-dd'),
          byFamily,
          caseClosed: next === 'CLOSED',
          followUrl: `/uvf/demandes/${r.id}`,
        },
        entity: { type: 'family_visit_request', id: r.id },
        establishmentId: establishment.id,
      });
    }
  }

  private documentRefusal(
    r: RequestRow & { kind: FamilyVisitKind; wishedFrom: string },
    input: DocumentInput,
    companion: string | null,
  ): void {
    if (r.status !== 'RECEIVED') throw new DomainError('LOCKED', tr('familyVisits:errors.locked'), 409);
    if (input.kind !== 'PARENTAL_CONSENT') return;
    if (!r.birthdate || !isMinorOn(r.birthdate, r.ownWishedFrom)) {
      throw new DomainError('NOT_MINOR', tr('familyVisits:errors.notMinor'), 422);
    }
    const named = consentCompanionRefusal(input.consentCompanion ?? '', fullName(r), companion);
    if (named) throw new DomainError('CONSENT_COMPANION', named, 422);
    const exit = childExitRefusal(r.kind, input.childExitTime);
    if (exit) throw new DomainError('EXIT_TIME', exit, 422);
  }
}

export type { CaseRow, DocumentRow, FamilyRequestRow };
