import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { NotificationsService } from '../notifications/notifications.service';
import { formatInTimeZone } from 'date-fns-tz';
import { lettersAbout, recordLetter, type LetterBody, type NewLetter } from '../permits/letters';
import { signatoryFor, type Signatory } from '../permits/signatory';
import {
  grantLetter,
  implicitRejectionLetter,
  incidentReport,
  japNotice,
  magistrateDecisionLetter,
  referralLetter,
  refusalLetter,
  withoutDetaineeLetter,
  type CaseForLetter,
} from './decision-letters';
import {
  caseHasLiveStay,
  holdsRoleAt,
  decisionCase,
  decisionRequests,
  insertDecisionEvent,
  magistrateOfStay,
  recordReferral,
  recordRequestDecision,
  setCaseStatus,
  undecidedCondamneRequests,
  type DecisionCase,
  type DecisionRequest,
} from './decision.queries';
import {
  applicantProblem,
  caseStatusAfter,
  durationText,
  grantOrderProblem,
  grantProblem,
  implicitlyRejected,
  magistrateAnswerProblem,
  MAGISTRATE_ANSWER_LABELS,
  needsMagistrate,
  refusalProblem,
  REFUSAL_GROUND_LABELS,
  type ApplicantFacts,
  type MagistrateAnswer,
} from './decision.rules';
import type { FamilyVisitRefusalGround } from './family-visit-request.entity';
import { decisionDeadline } from './instruction.rules';
import { isMinorOn, KIND_LABELS, VISIT_PHRASES } from './requests.rules';

const caseNotFound = () => new DomainError('NOT_FOUND', 'Dossier introuvable.', 404);
const requestNotFound = () => new DomainError('NOT_FOUND', 'Demande introuvable dans ce dossier.', 404);
const WITHOUT_DETAINEE =
  'Une visite en unité de vie familiale ou en parloir familial repose sur la demande de la personne détenue : sans elle, aucune visite ne peut être autorisée.';
const stayBooked = () =>
  new DomainError(
    'STAY_BOOKED',
    'Le séjour de cette visite est déjà réservé : une nouvelle autorisation n’y ajouterait personne. Annulez le séjour ou ouvrez un nouveau dossier.',
    409,
  );
const notSignatory = () =>
  new DomainError(
    'NOT_SIGNATORY',
    'Seul le chef d’établissement, ou un agent qui a reçu délégation de signature, peut décider d’une visite en UVF ou en parloir familial.',
    403,
  );

export interface GrantDecision {
  hours: number;
  slots: 1 | 2 | null;
}

export interface RefusalDecision {
  ground: FamilyVisitRefusalGround | null;
  facts: string;
  motivation: string;
}

export interface Referral {
  magistrate: string;
  opinion: string;
  proposedHours: number;
}

export interface MagistrateAnswerInput {
  requestId: string;
  answer: MagistrateAnswer;
  until: string | null;
  reasons: string;
}

type AgentActor = Actor & { id: string };

/** Who the letter about a request goes to: the detainee always; the relative too when the request is a visitor's. */
interface Addressee {
  name: string;
  familyAccountId: string | null;
}

/**
 * The decisions on UVF / PF requests (note DAP of 4 December 2014, A.5). A condamné's request is
 * decided by the head of establishment or a signature delegate, after the CPU opinion, within 2 months
 * of receipt (then the job records an implicit rejection). A prévenu's case is sent to the magistrate
 * in charge with the head's opinion and a proposed duration; the magistrate's answer is recorded when
 * it comes back. Each decision is a letter to the detainee and to the relative who applied, every
 * authorisation a notice to the JAP, every incident of a prévenu's stay a report to the magistrate;
 * all audited, in the decision's transaction.
 */
@Injectable()
export class FamilyVisitDecisionsService {
  private readonly logger = new Logger('FamilyVisitDecisions');

  constructor(
    private readonly dataSource: DataSource,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** For reads outside a transaction (a letter's PDF). */
  db(): EntityManager {
    return this.dataSource.manager;
  }

  /** What the case page shows of the decisions: the signatory the agent is (or not), the requests, the letters. */
  async panel(establishmentId: string, caseId: string, agentId: string | null) {
    const db = this.dataSource.manager;
    const c = await decisionCase(db, establishmentId, caseId);
    if (!c) throw caseNotFound();
    const now = this.clock.now();
    const [requests, letters, signatory] = await Promise.all([
      decisionRequests(db, caseId),
      lettersAbout(db, { familyVisitCaseId: caseId }),
      agentId ? signatoryFor(db, establishmentId, agentId, establishmentDay(now, c.timeZone)) : Promise.resolve(null),
    ]);
    const magistrate = needsMagistrate(c.legalStatus);
    const detainee = requests.find((r) => r.applicant === 'DETAINEE');
    return {
      signatory,
      magistrate,
      decidable: !magistrate && c.cpuOpinion !== null && ['CPU', 'DECIDED'].includes(c.status),
      referable: magistrate && c.status === 'CPU',
      requests: requests.map((r) => ({
        ...r,
        minor: r.visitorBirthdate !== null && isMinorOn(r.visitorBirthdate, c.wishedFrom),
        deadline: r.status === 'RECEIVED' && !magistrate ? decisionDeadline(this.receivedDay(r.receivedAt, c.timeZone)) : null,
      })),
      detaineeHours: detainee?.status === 'GRANTED' ? detainee.grantedHours : null,
      letters,
      letterCase: forLetter(c),
      referral: c.referredAt
        ? { magistrate: c.magistrate, opinion: c.referralOpinion, proposedHours: c.proposedHours, at: c.referredAt }
        : null,
    };
  }

  /** The head (or a delegate) authorises one request of a condamné's case, with the visit's duration. */
  async grant(actor: AgentActor, establishmentId: string, caseId: string, requestId: string, g: GrantDecision): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const now = this.clock.now();
      const { c, requests, r, signatory } = await this.toDecide(m, actor, establishmentId, caseId, requestId, now, true);
      await this.checkGrant(m, c, requests, r, g);
      await recordRequestDecision(m, r.id, 'RECEIVED', {
        status: 'GRANTED',
        at: now,
        by: actor.id,
        as: signatory.label,
        hours: g.hours,
        slots: c.kind === 'PF' ? g.slots : null,
      });
      const body = grantLetter(forLetter(c), r, g);
      const letters = await this.lettersTo(
        m,
        c,
        r,
        'FV_GRANT',
        `Autorisation de visite — ${KIND_LABELS[c.kind]}`,
        body,
        signatory.label,
        now,
      );
      letters.push(
        await recordLetter(m, {
          establishmentId,
          familyVisitCaseId: c.id,
          familyVisitRequestId: r.id,
          familyAccountId: null,
          kind: 'FV_JAP_NOTICE',
          title: `Information du juge de l’application des peines — ${KIND_LABELS[c.kind]}`,
          addressee: 'Madame, Monsieur le juge de l’application des peines',
          author: signatory.label,
          body: japNotice(forLetter(c), r, g),
          issuedAt: now,
        }),
      );
      await this.afterDecision(m, actor, c, r, now, {
        kind: 'GRANTED',
        message: `Visite accordée${r.visitorName ? ` à ${r.visitorName}` : ' à la personne détenue'} pour ${durationText(g.hours, g.slots)} ; le juge de l’application des peines est informé.`,
        familyMessage: `Votre demande est accordée pour ${durationText(g.hours, g.slots)}. Le courrier de décision est disponible.`,
        audit: {
          action: 'FAMILY_VISIT_REQUEST_GRANTED',
          after: { status: 'GRANTED', hours: g.hours, slots: g.slots, signedAs: signatory.label, letters },
        },
        outcome: `accordée pour ${durationText(g.hours, g.slots)}`,
      });
    });
  }

  /** The head (or a delegate) refuses one request of a condamné's case: facts, ground, motivation; the letter carries the recourse routes. */
  async refuse(actor: AgentActor, establishmentId: string, caseId: string, requestId: string, d: RefusalDecision): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const now = this.clock.now();
      const { c, r, signatory } = await this.toDecide(m, actor, establishmentId, caseId, requestId, now, true);
      this.checkRefusal(c, r, d);
      const ground = d.ground!;
      await recordRequestDecision(m, r.id, 'RECEIVED', {
        status: 'REFUSED',
        at: now,
        by: actor.id,
        as: signatory.label,
        ground,
        facts: d.facts.trim(),
        motivation: d.motivation.trim(),
      });
      const body = refusalLetter(forLetter(c), r, { ground, facts: d.facts, motivation: d.motivation });
      const letters = await this.lettersTo(m, c, r, 'FV_REFUSAL', `Refus de visite — ${KIND_LABELS[c.kind]}`, body, signatory.label, now);
      await this.afterDecision(m, actor, c, r, now, {
        kind: 'REFUSED',
        message: `Visite refusée${r.visitorName ? ` à ${r.visitorName}` : ' à la personne détenue'}.`,
        familyMessage: 'Votre demande est refusée. Le courrier de décision, avec ses motifs et les voies de recours, est disponible.',
        audit: { action: 'FAMILY_VISIT_REQUEST_REFUSED', after: { status: 'REFUSED', ground, signedAs: signatory.label, letters } },
        outcome: 'refusée',
      });
      // No visit without the detainee's request: the visitors' requests still to decide are refused with it, each with its letter.
      if (r.applicant === 'DETAINEE')
        for (const v of (await decisionRequests(m, caseId)).filter((x) => x.applicant === 'VISITOR' && x.status === 'RECEIVED')) {
          await recordRequestDecision(m, v.id, 'RECEIVED', {
            status: 'REFUSED',
            at: now,
            by: actor.id,
            as: signatory.label,
            facts: `La demande de la personne détenue a été refusée le même jour (${REFUSAL_GROUND_LABELS[ground].toLowerCase()}).`,
            motivation: WITHOUT_DETAINEE,
          });
          const visitorLetters = await this.lettersTo(
            m,
            c,
            v,
            'FV_REFUSAL',
            `Refus de visite — ${KIND_LABELS[c.kind]}`,
            withoutDetaineeLetter(forLetter(c), v, now),
            signatory.label,
            now,
          );
          await this.afterDecision(m, actor, c, v, now, {
            kind: 'REFUSED',
            message: `Visite refusée à ${v.visitorName} : la demande de la personne détenue est refusée.`,
            familyMessage:
              'Votre demande est refusée, car celle de la personne détenue l’a été. Le courrier de décision, avec les voies de recours, est disponible.',
            audit: {
              action: 'FAMILY_VISIT_REQUEST_REFUSED',
              after: { status: 'REFUSED', ground: null, reason: 'DETAINEE_REFUSED', signedAs: signatory.label, letters: visitorLetters },
            },
            outcome: 'refusée, car la demande de la personne détenue l’a été',
          });
        }
    });
  }

  /** The head sends a prévenu's case to the magistrate in charge, with an opinion proposing a duration (the transmission form, a PDF). */
  async refer(actor: AgentActor, establishmentId: string, caseId: string, x: Referral): Promise<string> {
    return this.dataSource.transaction(async (m) => {
      const now = this.clock.now();
      const c = await decisionCase(m, establishmentId, caseId, true);
      if (!c) throw caseNotFound();
      const signatory = await this.signatory(m, actor, c, now);
      if (!needsMagistrate(c.legalStatus))
        throw new DomainError('CONDAMNE', 'La personne détenue est condamnée : le chef d’établissement décide lui-même.', 409);
      if (c.status !== 'CPU')
        throw new DomainError(
          'NOT_READY',
          c.status === 'INSTRUCTION'
            ? 'Recueillez d’abord l’avis de la CPU : le dossier est transmis au magistrat après la commission.'
            : 'Ce dossier a déjà été transmis au magistrat.',
          409,
        );
      const duration = grantProblem({ kind: c.kind, hours: x.proposedHours, slots: c.kind === 'PF' ? 1 : null });
      if (duration) throw new DomainError('PROPOSEDHOURS', duration, 400);
      const requests = (await decisionRequests(m, caseId)).filter((r) => r.status === 'RECEIVED');
      if (!requests.length) throw new DomainError('NOTHING', 'Aucune demande en cours à transmettre.', 409);
      await recordReferral(m, caseId, {
        magistrate: x.magistrate.trim(),
        opinion: x.opinion.trim(),
        proposedHours: x.proposedHours,
        at: now,
      });
      const letterId = await recordLetter(m, {
        establishmentId,
        familyVisitCaseId: caseId,
        familyAccountId: null,
        kind: 'FV_REFERRAL',
        title: `Transmission au magistrat d’une demande de ${KIND_LABELS[c.kind].toLowerCase()}`,
        addressee: x.magistrate.trim(),
        author: signatory.label,
        body: referralLetter(forLetter(c), requests, { ...x, cpu: cpuLine(c) }),
        issuedAt: now,
      });
      for (const r of requests)
        await insertDecisionEvent(m, {
          caseId,
          requestId: r.id,
          kind: 'REFERRED',
          message: `Demande transmise au magistrat (${x.magistrate.trim()}) pour décision.`,
          visibleToFamily: true,
          actorType: 'AGENT',
          actorId: actor.id,
          at: now,
        });
      await this.audit.record(
        {
          actor,
          action: 'FAMILY_VISIT_CASE_REFERRED',
          entityType: 'family_visit_case',
          entityId: caseId,
          establishmentId,
          before: { status: c.status },
          after: {
            status: 'REFERRED',
            magistrate: x.magistrate.trim(),
            proposedHours: x.proposedHours,
            signedAs: signatory.label,
            letterId,
          },
        },
        m,
      );
      return letterId;
    });
  }

  /**
   * Records the magistrate's answer on one referred request (permanent or temporary authorisation, or
   * refusal) and notifies it to the detainee and to the relative who applied. An authorisation is for the
   * duration the head proposed.
   */
  async recordMagistrateAnswer(actor: AgentActor, establishmentId: string, caseId: string, a: MagistrateAnswerInput): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const now = this.clock.now();
      const c = await decisionCase(m, establishmentId, caseId, true);
      if (!c) throw caseNotFound();
      const r = (await decisionRequests(m, caseId)).find((x) => x.id === a.requestId);
      if (!r) throw requestNotFound();
      if (r.status !== 'REFERRED') throw new DomainError('DECIDED', 'Cette demande n’attend pas de réponse du magistrat.', 409);
      const problem = magistrateAnswerProblem(a, establishmentDay(now, c.timeZone));
      if (problem) throw new DomainError(problem.field.toUpperCase(), problem.message, 400);
      const granted = a.answer !== 'REFUSED';
      if (granted) {
        const requests = await decisionRequests(m, caseId);
        const problem = applicantProblem(
          this.facts(c, r),
          requests.map((x) => this.facts(c, x)),
        );
        if (problem) throw new DomainError('GLOBAL', problem, 409);
        if (await caseHasLiveStay(m, caseId)) throw stayBooked();
      }
      const hours = granted ? c.proposedHours : null;
      await recordRequestDecision(m, r.id, 'REFERRED', {
        status: granted ? 'GRANTED' : 'REFUSED',
        at: now,
        by: actor.id,
        as: null,
        hours,
        slots: granted && c.kind === 'PF' ? 1 : null,
        motivation: granted ? null : a.reasons.trim(),
        magistrate: { answer: a.answer, until: a.until },
      });
      const body = magistrateDecisionLetter(forLetter(c), r, {
        magistrate: c.magistrate ?? 'le magistrat',
        answer: a.answer,
        until: a.until,
        hours,
        reasons: a.reasons,
      });
      const letters = await this.lettersTo(
        m,
        c,
        r,
        'FV_MAGISTRATE_DECISION',
        `Décision du magistrat — ${KIND_LABELS[c.kind]}`,
        body,
        null,
        now,
      );
      const label = MAGISTRATE_ANSWER_LABELS[a.answer].toLowerCase();
      await this.afterDecision(m, actor, c, r, now, {
        kind: granted ? 'GRANTED' : 'REFUSED',
        message: `Réponse du magistrat enregistrée${r.visitorName ? ` pour ${r.visitorName}` : ' pour la personne détenue'} : ${label}.`,
        familyMessage: granted
          ? `Le magistrat a autorisé la visite (${label}). Le courrier est disponible.`
          : 'Le magistrat a refusé la visite. Le courrier est disponible.',
        audit: {
          action: 'FAMILY_VISIT_MAGISTRATE_ANSWER',
          after: { status: granted ? 'GRANTED' : 'REFUSED', answer: a.answer, until: a.until, hours, letters },
        },
        outcome: granted ? `autorisée par le magistrat (${label})` : 'refusée par le magistrat',
      });
    });
  }

  /** Silence 2 months after receipt on a condamné's request: an implicit rejection, recorded and notified. Idempotent. */
  async expireOverdue(): Promise<number> {
    const now = this.clock.now();
    const candidates = await undecidedCondamneRequests(this.dataSource.manager, new Date(now.getTime() - 58 * 86_400_000));
    let expired = 0;
    for (const cand of candidates) {
      const today = establishmentDay(now, cand.timeZone);
      if (!implicitlyRejected({ status: 'RECEIVED', receivedAt: this.receivedDay(cand.receivedAt, cand.timeZone) }, 'CONDAMNE', today))
        continue;
      // One request failing (and rolled back) never keeps the others from being rejected: it is retried next run.
      await this.dataSource
        .transaction(async (m) => {
          const c = await decisionCase(m, cand.establishmentId, cand.caseId, true);
          if (!c || needsMagistrate(c.legalStatus)) return;
          const r = (await decisionRequests(m, c.id)).find((x) => x.id === cand.id);
          if (!r || !(await recordRequestDecision(m, r.id, 'RECEIVED', { status: 'IMPLICITLY_REJECTED', at: now, by: null, as: null })))
            return;
          const deadline = decisionDeadline(this.receivedDay(r.receivedAt, c.timeZone));
          const letters = await this.lettersTo(
            m,
            c,
            r,
            'FV_IMPLICIT_REJECTION',
            `Rejet implicite d’une demande de visite — ${KIND_LABELS[c.kind]}`,
            implicitRejectionLetter(forLetter(c), r, deadline),
            null,
            now,
          );
          await this.afterDecision(m, { type: 'SYSTEM', label: 'délai de 2 mois' }, c, r, now, {
            kind: 'IMPLICITLY_REJECTED',
            message: `Sans décision au ${deadline.split('-').reverse().join('/')}, la demande${r.visitorName ? ` de ${r.visitorName}` : ' de la personne détenue'} est implicitement rejetée.`,
            familyMessage:
              'Sans décision dans les deux mois, votre demande est implicitement rejetée. Le courrier indique vos voies de recours.',
            audit: { action: 'FAMILY_VISIT_REQUEST_IMPLICITLY_REJECTED', after: { status: 'IMPLICITLY_REJECTED', deadline, letters } },
            outcome: 'rejetée faute de décision dans les deux mois',
          });
          expired++;
        })
        .catch((e: unknown) => this.logger.error(`Implicit rejection of ${cand.id} failed: ${e instanceof Error ? e.message : String(e)}`));
    }
    return expired;
  }

  /**
   * Checks a decision as the head fills it in, before the read-back: the same checks as signing, so
   * the letter read back is one that can be signed (the signing re-checks under lock).
   */
  async check(
    actor: AgentActor,
    establishmentId: string,
    caseId: string,
    requestId: string,
    d: { decision: 'GRANT'; grant: GrantDecision } | { decision: 'REFUSE'; refusal: RefusalDecision },
  ): Promise<void> {
    const m = this.dataSource.manager;
    const { c, requests, r } = await this.toDecide(m, actor, establishmentId, caseId, requestId, this.clock.now(), false);
    if (d.decision === 'GRANT') await this.checkGrant(m, c, requests, r, d.grant);
    else this.checkRefusal(c, r, d.refusal);
  }

  private async checkGrant(m: EntityManager, c: DecisionCase, requests: DecisionRequest[], r: DecisionRequest, g: GrantDecision) {
    const problem =
      grantProblem({ kind: c.kind, hours: g.hours, slots: g.slots }) ??
      grantOrderProblem(
        r.applicant,
        requests.find((x) => x.applicant === 'DETAINEE'),
        g.hours,
      );
    if (problem) throw new DomainError('HOURS', problem, 400);
    const applicant = applicantProblem(
      this.facts(c, r),
      requests.map((x) => this.facts(c, x)),
    );
    if (applicant) throw new DomainError('GLOBAL', applicant, 409);
    if (await caseHasLiveStay(m, c.id)) throw stayBooked();
  }

  private checkRefusal(c: DecisionCase, r: DecisionRequest, d: RefusalDecision) {
    const problem = refusalProblem({ ...d, minor: this.facts(c, r).minor });
    if (problem) throw new DomainError(problem.field.toUpperCase(), problem.message, 400);
  }

  private facts(c: DecisionCase, r: DecisionRequest): ApplicantFacts {
    return {
      id: r.id,
      status: r.status,
      minor: r.visitorBirthdate !== null && isMinorOn(r.visitorBirthdate, c.wishedFrom),
      accompaniedBy: r.accompaniedBy,
      parentalConsent: r.parentalConsent,
      doneInterviews: r.doneInterviews,
      rulesAcknowledged: r.rulesAcknowledged,
    };
  }

  /** The locked case and request to decide, and the signatory: a condamné's request still to decide, after the CPU opinion. */
  private async toDecide(
    m: EntityManager,
    actor: AgentActor,
    establishmentId: string,
    caseId: string,
    requestId: string,
    now: Date,
    lock: boolean,
  ) {
    const c = await decisionCase(m, establishmentId, caseId, lock);
    if (!c) throw caseNotFound();
    const signatory = await this.signatory(m, actor, c, now);
    if (needsMagistrate(c.legalStatus))
      throw new DomainError(
        'MAGISTRATE',
        'La personne détenue est prévenue : la visite dépend de l’accord du magistrat. Transmettez le dossier avec votre avis.',
        409,
      );
    if (c.cpuOpinion === null)
      throw new DomainError('NOT_READY', 'Recueillez d’abord l’avis de la CPU : le chef d’établissement décide après la commission.', 409);
    if (c.status !== 'CPU') throw new DomainError('DECIDED', 'Ce dossier est décidé ou clos.', 409);
    const requests = await decisionRequests(m, caseId);
    const r = requests.find((x) => x.id === requestId);
    if (!r) throw requestNotFound();
    if (r.status !== 'RECEIVED') throw new DomainError('DECIDED', 'Cette demande est déjà décidée ou retirée.', 409);
    return { c, requests, r, signatory };
  }

  private async signatory(m: EntityManager, actor: AgentActor, c: DecisionCase, now: Date): Promise<Signatory> {
    const s = await signatoryFor(m, c.establishmentId, actor.id, establishmentDay(now, c.timeZone));
    // The counsellor who instructs the case never signs its decision, even with a signature delegation (issue 11).
    if (
      !s ||
      (!(await holdsRoleAt(m, actor.id, c.establishmentId, 'HEAD_OF_ESTABLISHMENT')) &&
        (await holdsRoleAt(m, actor.id, c.establishmentId, 'SPIP_COUNSELLOR')))
    )
      throw notSignatory();
    return s;
  }

  /** The decision's letter to the detainee (handed over) and, for a visitor's request, to the relative (in P2V, or posted). */
  private async lettersTo(
    m: EntityManager,
    c: DecisionCase,
    r: DecisionRequest,
    kind: NewLetter['kind'],
    title: string,
    body: LetterBody,
    author: string | null,
    now: Date,
  ): Promise<string[]> {
    const to: Addressee[] = [{ name: `${c.detaineeName} (écrou ${c.ecrouNumber})`, familyAccountId: null }];
    // A decision about a minor is addressed to the holders of parental authority, through the account that filed it.
    if (r.applicant === 'VISITOR')
      to.push({
        name: this.facts(c, r).minor
          ? `Aux titulaires de l’autorité parentale de ${r.visitorName ?? 'l’enfant'}`
          : (r.visitorName ?? 'Le visiteur'),
        familyAccountId: r.familyAccountId,
      });
    const ids: string[] = [];
    for (const a of to)
      ids.push(
        await recordLetter(m, {
          establishmentId: c.establishmentId,
          familyVisitCaseId: c.id,
          familyVisitRequestId: r.id,
          familyAccountId: a.familyAccountId,
          kind,
          title,
          addressee: a.name,
          author,
          body,
          issuedAt: now,
        }),
      );
    return ids;
  }

  /** The history line, the family's e-mail, the case's status once every request is final, the audit entry. */
  private async afterDecision(
    m: EntityManager,
    actor: Actor,
    c: DecisionCase,
    r: DecisionRequest,
    now: Date,
    x: { kind: string; message: string; familyMessage: string; audit: { action: string; after: Record<string, unknown> }; outcome: string },
  ): Promise<void> {
    await insertDecisionEvent(m, {
      caseId: c.id,
      requestId: r.id,
      kind: x.kind,
      message: x.message,
      visibleToFamily: false,
      actorType: actor.type === 'SYSTEM' ? 'SYSTEM' : 'AGENT',
      actorId: actor.id ?? null,
      at: now,
    });
    if (r.applicant === 'VISITOR')
      await insertDecisionEvent(m, {
        caseId: c.id,
        requestId: r.id,
        kind: x.kind,
        message: x.familyMessage,
        visibleToFamily: true,
        actorType: actor.type === 'SYSTEM' ? 'SYSTEM' : 'AGENT',
        actorId: actor.id ?? null,
        at: now,
      });
    if (r.applicant === 'VISITOR' && r.familyEmail)
      await this.notifications.enqueue(
        m,
        {
          channel: 'EMAIL',
          to: r.familyEmail,
          template: 'family-visit-decision',
          category: 'TRANSACTIONAL',
          data: {
            reference: c.reference,
            kindLabel: VISIT_PHRASES[c.kind],
            detainee: c.detaineeName,
            establishmentName: c.establishmentName,
            visitor: r.visitorName,
            outcome: x.outcome,
            followUrl: `/uvf/demandes/${r.id}`,
          },
          entity: { type: 'family_visit_request', id: r.id },
          establishmentId: c.establishmentId,
        },
        now,
      );
    const next = caseStatusAfter(c.status, await decisionRequests(m, c.id));
    if (next !== c.status) await setCaseStatus(m, c.id, next, now);
    await this.audit.record(
      {
        actor,
        action: x.audit.action,
        entityType: 'family_visit_request',
        entityId: r.id,
        establishmentId: c.establishmentId,
        before: { status: r.status },
        after: { ...x.audit.after, caseStatus: next },
      },
      m,
    );
  }

  /** The day a request was received in the establishment, as a UTC midnight (what decisionDeadline counts from). */
  private receivedDay(receivedAt: Date, timeZone: string): Date {
    return new Date(`${establishmentDay(new Date(receivedAt), timeZone)}T00:00:00Z`);
  }
}

/** The day (AAAA-MM-JJ) an instant falls on in the establishment's time zone. */
function establishmentDay(at: Date, timeZone: string): string {
  return formatInTimeZone(at, timeZone, 'yyyy-MM-dd');
}

/**
 * An incident recorded during the stay of a prévenu's visit is reported to the magistrate who
 * authorised it (a letter, audited), in the caller's transaction. Returns the letter's id, or null
 * when no magistrate authorised the stay.
 */
export async function reportIncidentToMagistrate(
  m: EntityManager,
  audit: AuditService,
  actor: Actor & { id: string },
  stayId: string,
  incident: { at: Date; notes: string },
): Promise<string | null> {
  const s = await magistrateOfStay(m, stayId);
  if (!s) return null;
  const c = await decisionCase(m, s.establishmentId, s.caseId);
  if (!c) return null;
  const letterId = await recordLetter(m, {
    establishmentId: s.establishmentId,
    familyVisitCaseId: s.caseId,
    familyAccountId: null,
    kind: 'FV_INCIDENT',
    title: `Compte rendu d’incident — ${KIND_LABELS[c.kind]}`,
    addressee: s.magistrate,
    author: actor.label,
    body: incidentReport(forLetter(c), { magistrate: s.magistrate, at: incident.at, notes: incident.notes, unit: s.unit }),
    issuedAt: incident.at,
  });
  await insertDecisionEvent(m, {
    caseId: s.caseId,
    requestId: null,
    kind: 'INCIDENT_REPORTED',
    message: `Incident signalé au magistrat (${s.magistrate}).`,
    visibleToFamily: false,
    actorType: 'AGENT',
    actorId: actor.id,
    at: incident.at,
  });
  await audit.record(
    {
      actor,
      action: 'FAMILY_VISIT_INCIDENT_REPORTED',
      entityType: 'family_visit_case',
      entityId: s.caseId,
      establishmentId: s.establishmentId,
      after: { stayId, magistrate: s.magistrate, letterId },
    },
    m,
  );
  return letterId;
}

function forLetter(c: DecisionCase): CaseForLetter {
  return {
    reference: c.reference,
    kind: c.kind,
    detaineeName: c.detaineeName,
    ecrouNumber: c.ecrouNumber,
    establishmentName: c.establishmentName,
    wishedFrom: c.wishedFrom,
    wishedTo: c.wishedTo,
  };
}

function cpuLine(c: DecisionCase): string | null {
  if (!c.cpuOpinion) return null;
  const opinion = { FAVOURABLE: 'favorable', UNFAVOURABLE: 'défavorable', RESERVED: 'réservé' }[c.cpuOpinion] ?? c.cpuOpinion;
  return `avis ${opinion}${c.cpuOn ? ` du ${c.cpuOn.split('-').reverse().join('/')}` : ''}${c.cpuNotes ? ` — ${c.cpuNotes}` : ''}.`;
}
