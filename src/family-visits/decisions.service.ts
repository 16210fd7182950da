import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { NotificationsService } from '../notifications/notifications.service';
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
  withdrawalLetter,
  withdrawnReferralNotice,
  withoutDetaineeLetter,
  type AuthorisationBasis,
  type CaseForLetter,
} from './decision-letters';
import {
  applicableAuthorisation,
  authorisationInForce,
  dayBefore,
  earlyEndNotes,
  establishmentDay,
  followupProblem,
  securityEarlyEnd,
  type AuthorisationFollowup,
  type MagistrateDecision,
} from './decision-authorisation.rules';
import {
  caseHasLiveStay,
  casesResting,
  holdsRoleAt,
  decisionCase,
  decisionRequests,
  endAuthorisation,
  insertDecisionEvent,
  lockAuthorisation,
  lockCases,
  magistrateDecisionsOf,
  magistrateOfStay,
  notifierOf,
  recordFollowup,
  recordReferral,
  recordRequestDecision,
  setCaseStatus,
  staysUnderWithdrawnAuthorisation,
  undecidedCondamneRequests,
  type DecisionCase,
  type DecisionRequest,
  type MagistrateDecisionRow,
} from './decision.queries';
import {
  answerDuration,
  applicantProblem,
  custodyProblem,
  durationText,
  grantOrderProblem,
  grantProblem,
  implicitlyRejected,
  LEFT_LABELS,
  magistrateAnswerProblem,
  MAGISTRATE_ANSWER_LABELS,
  needsMagistrate,
  permitGrantProblem,
  permitReferralProblem,
  refusalProblem,
  REFUSAL_GROUND_LABELS,
  sameVisitProblem,
  type ApplicantFacts,
  type MagistrateAnswer,
} from './decision.rules';
import type { FamilyVisitRefusalGround } from './family-visit-request.entity';
import { decisionDeadline } from './instruction.rules';
import { caseStatusAfterWithdrawal, isMinorOn, KIND_LABELS, VISIT_PHRASES } from './requests.rules';
import type { FamilyVisitCaseStatus } from './family-visit-case.entity';

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
const notAnswerRecorder = () =>
  new DomainError(
    'NOT_RECORDER',
    'Seuls le chef d’établissement, un agent qui a reçu délégation de signature ou le greffe, qui reçoit le courrier du magistrat, enregistrent sa réponse.',
    403,
  );
const nowCondamne = () =>
  new DomainError(
    'CONDAMNE',
    'La personne détenue est désormais condamnée : le magistrat n’a plus à répondre, le chef d’établissement décide lui-même de la demande transmise.',
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
  /** PF: one slot or two cumulated (null: one); ignored for a UVF. */
  proposedSlots: 1 | 2 | null;
}

export interface MagistrateAnswerInput {
  requestId: string;
  answer: MagistrateAnswer;
  until: string | null;
  reasons: string;
  /**
   * UVF: the duration the magistrate authorised (null: the one proposed, or the visit's once a request
   * of it is granted). PF: the head fixes it (note PF A.5.a): null, or the head's (another is refused).
   */
  hours: number | null;
  /** PF: null, or the head's slots (others are refused); null for a UVF. */
  slots: 1 | 2 | null;
}

export interface FollowupInput {
  /** The request of this case whose magistrate's authorisation is concerned (its own, or the one it was granted within). */
  requestId: string;
  outcome: AuthorisationFollowup | null;
  /** The date of the magistrate's decision (AAAA-MM-JJ). */
  on: string | null;
}

/** A decision's outcome as the family's e-mail says it (notifications:fv.outcomes). */
type FamilyOutcome =
  | { code: 'GRANTED'; hours: number; slots: 1 | 2 | null; magistrateDay: string | null }
  | { code: 'REFUSED' | 'DETAINEE_REFUSED' | 'IMPLICITLY_REJECTED' | 'MAGISTRATE_REFUSED' }
  | { code: 'MAGISTRATE_GRANTED'; answer: string };

/**
 * A magistrate's answer on one of the detainee's requests, as the reuse rules and the pages read it:
 * the day it was recorded on the establishment's clock, the magistrate named on its case.
 */
export interface Authorisation extends MagistrateDecision {
  caseId: string;
  caseReference: string;
  magistrate: string | null;
  decidedOn: string;
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
    const today = establishmentDay(now, c.timeZone);
    const magistrate = needsMagistrate(c.legalStatus);
    const [requests, letters, signatory] = await Promise.all([
      decisionRequests(db, caseId),
      lettersAbout(db, { familyVisitCaseId: caseId }),
      agentId ? signatoryFor(db, establishmentId, agentId, today) : Promise.resolve(null),
    ]);
    // A prévenu's case: the magistrate's answers on the detainee's requests, and the stays booked under a withdrawn authorisation.
    const all = magistrate ? await this.authorisations(db, c) : [];
    const withdrawnStays = magistrate ? await staysUnderWithdrawnAuthorisation(db, caseId) : [];
    const detainee = requests.find((r) => r.applicant === 'DETAINEE');
    const byId = new Map(all.map((a) => [a.requestId, a]));
    const shown = (a: Authorisation | null | undefined) => (a ? { ...a, inForce: authorisationInForce(a, today) } : null);
    const rows = requests.map((r) => {
      // A request still to decide that an authorisation of the magistrate in force covers: the head decides it.
      const reusable = magistrate && r.status === 'RECEIVED' ? applicableTo(c, r, all, today) : null;
      const grantedWithin = shown(r.reusedAuthorisationFrom ? byId.get(r.reusedAuthorisationFrom) : null);
      const held = shown(holdsAuthorisation(r) ? byId.get(r.id) : null);
      return {
        ...r,
        minor: r.visitorBirthdate !== null && isMinorOn(r.visitorBirthdate, r.wishedFrom),
        deadline: r.status === 'RECEIVED' && !magistrate ? decisionDeadline(this.receivedDay(r.receivedAt, c.timeZone)) : null,
        decidable:
          c.cpuOpinion !== null &&
          (magistrate
            ? r.status === 'RECEIVED' && reusable !== null && ['CPU', 'REFERRED'].includes(c.status)
            : // A prévenu who became condamné after the referral: the head decides the transmitted requests.
              stillToDecide(c, r) && ['CPU', 'DECIDED', 'REFERRED'].includes(c.status)),
        authorisation: shown(reusable),
        /** A visitor whose visit permit no longer allows a visit today: granting is refused (refusing is not). */
        permitProblem: r.status === 'RECEIVED' ? permitGrantProblem(r.permit, r.visitorName, today) : null,
        basis: reusable ? basisOf(reusable) : null,
        grantedWithin,
        held,
        /** The authorisation the magistrate may maintain or withdraw for this request, while not withdrawn. */
        followable: [held, grantedWithin, shown(reusable)].find((a) => a && a.followup !== 'WITHDRAWN') ?? null,
      };
    });
    return {
      signatory,
      magistrate,
      /** « Personne détenue libérée / transférée » once the detainee has left: nothing more is granted or transmitted. */
      left: c.custodyStatus === 'PRESENT' ? null : LEFT_LABELS[c.custodyStatus],
      decidable: rows.some((r) => r.decidable),
      referable: magistrate && c.status === 'CPU' && rows.some((r) => r.status === 'RECEIVED' && r.authorisation === null),
      followable: rows.some((r) => r.followable !== null),
      incidentReported: letters.some((l) => l.kind === 'FV_INCIDENT'),
      withdrawnStays,
      requests: rows,
      detaineeHours: detainee?.status === 'GRANTED' ? detainee.grantedHours : null,
      letters,
      letterCase: forLetter(c),
      referral: c.referredAt
        ? {
            magistrate: c.magistrate,
            opinion: c.referralOpinion,
            proposedHours: c.proposedHours,
            proposedSlots: proposedSlotsOf(c),
            /** « 6 heures », « 4 heures en deux créneaux cumulés … »: what the head proposed (PF: fixed). */
            duration: c.proposedHours === null ? null : durationText(c.proposedHours, proposedSlotsOf(c)),
            at: c.referredAt,
          }
        : null,
    };
  }

  /**
   * The head (or a delegate) authorises one request, with the visit's duration: a condamné's, or a
   * prévenu's within the magistrate's authorisation in force (the letter names it; a temporary one
   * limits the booking like the magistrate's own answer).
   */
  async grant(actor: AgentActor, establishmentId: string, caseId: string, requestId: string, g: GrantDecision): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const now = this.clock.now();
      const { c, requests, r, signatory, basis } = await this.toDecide(m, actor, establishmentId, caseId, requestId, now, true);
      await this.checkGrant(m, c, requests, r, g, basis, establishmentDay(now, c.timeZone));
      await recordRequestDecision(m, r.id, r.status, {
        status: 'GRANTED',
        at: now,
        by: actor.id,
        as: signatory.label,
        hours: g.hours,
        slots: c.kind === 'PF' ? g.slots : null,
        reused: basis ? { from: basis.requestId, until: basis.answer === 'TEMPORARY' ? basis.until : null } : null,
      });
      const body = grantLetter(forLetter(c), r, g, basis ? basisOf(basis) : null);
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
      // The JAP is told of a condamné's visits; a prévenu's rest on the magistrate in charge of his case.
      if (!basis)
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
      const within = basis ? ` dans le cadre de l’autorisation du magistrat du ${frDay(basis.decidedOn)}` : '';
      await this.afterDecision(m, actor, c, r, now, {
        kind: 'GRANTED',
        message: basis
          ? `Visite accordée${r.visitorName ? ` à ${r.visitorName}` : ' à la personne détenue'} pour ${durationText(g.hours, g.slots)}${within} (dossier ${basis.caseReference}).`
          : `Visite accordée${r.visitorName ? ` à ${r.visitorName}` : ' à la personne détenue'} pour ${durationText(g.hours, g.slots)} ; le juge de l’application des peines est informé.`,
        familyMessage: `Votre demande est accordée pour ${durationText(g.hours, g.slots)}${within}. Le courrier de décision est disponible.`,
        audit: {
          action: 'FAMILY_VISIT_REQUEST_GRANTED',
          after: {
            status: 'GRANTED',
            hours: g.hours,
            slots: g.slots,
            signedAs: signatory.label,
            letters,
            ...(basis
              ? { reusedAuthorisationFrom: basis.requestId, authorisedUntil: basis.answer === 'TEMPORARY' ? basis.until : null }
              : {}),
          },
        },
        outcome: `accordée pour ${durationText(g.hours, g.slots)}${within}`,
        outcomeOf: { code: 'GRANTED', hours: g.hours, slots: g.slots, magistrateDay: basis?.decidedOn ?? null },
      });
    });
  }

  /** The head (or a delegate) refuses one request (a condamné's, or a prévenu's within the magistrate's authorisation): facts, ground, motivation; the letter carries the recourse routes. */
  async refuse(actor: AgentActor, establishmentId: string, caseId: string, requestId: string, d: RefusalDecision): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const now = this.clock.now();
      const { c, r, signatory } = await this.toDecide(m, actor, establishmentId, caseId, requestId, now, true);
      this.checkRefusal(c, r, d);
      const ground = d.ground!;
      await recordRequestDecision(m, r.id, r.status, {
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
        outcomeOf: { code: 'REFUSED' },
      });
      // No visit without the detainee's request: the visitors' requests still to decide are refused with it, each with its letter.
      if (r.applicant === 'DETAINEE')
        for (const v of (await decisionRequests(m, caseId)).filter((x) => x.applicant === 'VISITOR' && stillToDecide(c, x))) {
          await recordRequestDecision(m, v.id, v.status, {
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
            outcomeOf: { code: 'DETAINEE_REFUSED' },
          });
        }
    });
  }

  /**
   * The transmission as it will be signed, read back before it is: the same checks as signing, the
   * requests transmitted and the form's text.
   */
  async previewReferral(actor: AgentActor, establishmentId: string, caseId: string, x: Referral) {
    const { c, requests, signatory, slots } = await this.toRefer(
      this.dataSource.manager,
      actor,
      establishmentId,
      caseId,
      x,
      this.clock.now(),
      false,
    );
    return { requests, signatory, body: referralLetter(forLetter(c), requests, { ...x, proposedSlots: slots, cpu: cpuLine(c) }) };
  }

  /**
   * The head sends a prévenu's case to the magistrate in charge, with an opinion proposing a duration
   * (the transmission form, a PDF): the requests still to decide that no authorisation of the
   * magistrate in force covers (those the head decides within it are not sent again).
   */
  async refer(actor: AgentActor, establishmentId: string, caseId: string, x: Referral): Promise<string> {
    return this.dataSource.transaction(async (m) => {
      const now = this.clock.now();
      const { c, requests, signatory, slots } = await this.toRefer(m, actor, establishmentId, caseId, x, now, true);
      await recordReferral(m, caseId, {
        magistrate: x.magistrate.trim(),
        opinion: x.opinion.trim(),
        proposedHours: x.proposedHours,
        proposedSlots: slots,
        at: now,
        requestIds: requests.map((r) => r.id),
      });
      const letterId = await recordLetter(m, {
        establishmentId,
        familyVisitCaseId: caseId,
        familyAccountId: null,
        kind: 'FV_REFERRAL',
        title: `Transmission au magistrat d’une demande de ${KIND_LABELS[c.kind].toLowerCase()}`,
        addressee: x.magistrate.trim(),
        author: signatory.label,
        body: referralLetter(forLetter(c), requests, { ...x, proposedSlots: slots, cpu: cpuLine(c) }),
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
            proposedSlots: slots,
            requests: requests.map((r) => r.id),
            signedAs: signatory.label,
            letterId,
          },
        },
        m,
      );
      return letterId;
    });
  }

  /** The case to transmit, checked: a prévenu's, after the CPU, not yet transmitted, with requests the magistrate must answer. */
  private async toRefer(
    m: EntityManager,
    actor: AgentActor,
    establishmentId: string,
    caseId: string,
    x: Referral,
    now: Date,
    lock: boolean,
  ) {
    const c = await decisionCase(m, establishmentId, caseId, lock);
    if (!c) throw caseNotFound();
    const signatory = await this.signatory(m, actor, c, now);
    if (!needsMagistrate(c.legalStatus))
      throw new DomainError('CONDAMNE', 'La personne détenue est condamnée : le chef d’établissement décide lui-même.', 409);
    const gone = custodyProblem(c.custodyStatus);
    if (gone) throw new DomainError('LEFT', gone, 409);
    if (c.status !== 'CPU')
      throw new DomainError(
        'NOT_READY',
        c.status === 'INSTRUCTION'
          ? 'Recueillez d’abord l’avis de la CPU : le dossier est transmis au magistrat après la commission.'
          : 'Ce dossier a déjà été transmis au magistrat.',
        409,
      );
    // PF: the head fixes the duration, in one slot or two cumulated (note PF A.5.a); a UVF's is proposed, in one stretch.
    const slots: 1 | 2 | null = c.kind === 'PF' ? (x.proposedSlots ?? 1) : null;
    const duration = grantProblem({ kind: c.kind, hours: x.proposedHours, slots });
    if (duration) throw new DomainError('PROPOSEDHOURS', duration, 400);
    const today = establishmentDay(now, c.timeZone);
    const all = await this.authorisations(m, c);
    const requests = await decisionRequests(m, caseId);
    const detainee = requests.find((r) => r.applicant === 'DETAINEE');
    if (
      detainee?.status === 'GRANTED' &&
      (detainee.grantedHours !== x.proposedHours || (c.kind === 'PF' && (detainee.grantedSlots ?? 1) !== slots))
    )
      throw new DomainError(
        'PROPOSEDHOURS',
        `La visite est accordée à la personne détenue pour ${durationText(detainee.grantedHours ?? 0, detainee.grantedSlots)} : proposez la même durée au magistrat.`,
        400,
      );
    const open = requests.filter((r) => r.status === 'RECEIVED');
    const toSend = open.filter((r) => applicableTo(c, r, all, today) === null);
    if (!toSend.length)
      throw new DomainError(
        'NOTHING',
        open.length
          ? 'Chaque demande en cours relève d’une autorisation du magistrat en cours : décidez-la vous-même, sans la transmettre.'
          : 'Aucune demande en cours à transmettre.',
        409,
      );
    // Re-checked at the transmission, as at a grant: each visitor's permit still allows a visit today.
    for (const r of toSend) {
      const permit = permitReferralProblem(r.permit, r.visitorName, today);
      if (permit) throw new DomainError('PERMIT', permit, 409);
    }
    return { c, requests: toSend, signatory, slots };
  }

  /** The magistrate's answer as it will be recorded, read back before it is: the same checks, and the letter notifying it. */
  async previewMagistrateAnswer(actor: AgentActor, establishmentId: string, caseId: string, a: MagistrateAnswerInput) {
    const x = await this.toAnswer(this.dataSource.manager, actor, establishmentId, caseId, a, this.clock.now(), false);
    return {
      request: x.r,
      hours: x.hours,
      duration: x.hours === null ? null : durationText(x.hours, x.slots),
      /** PF: the duration is the head's, not the magistrate's. */
      fixedByHead: x.c.kind === 'PF',
      proposedHours: x.c.proposedHours,
      notifier: x.notifier,
      body: x.body,
    };
  }

  /**
   * Records the magistrate's answer on one referred request (permanent or temporary authorisation, or
   * refusal) and notifies it to the detainee and to the relative who applied, by a letter the agent who
   * records it signs as notifying it. A UVF's authorisation is for the duration the magistrate set: the
   * one the head proposed unless he chose another (checked as a grant's, and the same for every request
   * of the visit); a PF's for the duration and slots the head fixed (note PF A.5.a).
   */
  async recordMagistrateAnswer(actor: AgentActor, establishmentId: string, caseId: string, a: MagistrateAnswerInput): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const now = this.clock.now();
      const { c, r, hours, slots, notifier, body } = await this.toAnswer(m, actor, establishmentId, caseId, a, now, true);
      const granted = a.answer !== 'REFUSED';
      await recordRequestDecision(m, r.id, 'REFERRED', {
        status: granted ? 'GRANTED' : 'REFUSED',
        at: now,
        by: actor.id,
        as: null,
        hours,
        slots,
        motivation: granted ? null : a.reasons.trim(),
        magistrate: { answer: a.answer, until: a.until },
      });
      const letters = await this.lettersTo(
        m,
        c,
        r,
        'FV_MAGISTRATE_DECISION',
        `Décision du magistrat — ${KIND_LABELS[c.kind]}`,
        body,
        notifier,
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
          after: {
            status: granted ? 'GRANTED' : 'REFUSED',
            answer: a.answer,
            until: a.until,
            hours,
            slots,
            proposedHours: c.proposedHours,
            notifiedBy: notifier,
            letters,
          },
        },
        outcome: granted ? `autorisée par le magistrat (${label})` : 'refusée par le magistrat',
        outcomeOf: granted ? { code: 'MAGISTRATE_GRANTED', answer: a.answer } : { code: 'MAGISTRATE_REFUSED' },
      });
    });
  }

  /** The referred request the answer is about, checked, and the letter that notifies it (signed by the agent who records it). */
  private async toAnswer(
    m: EntityManager,
    actor: AgentActor,
    establishmentId: string,
    caseId: string,
    a: MagistrateAnswerInput,
    now: Date,
    lock: boolean,
  ) {
    const c = await decisionCase(m, establishmentId, caseId, lock);
    if (!c) throw caseNotFound();
    await this.answerRecorder(m, actor, c, now);
    const requests = await decisionRequests(m, caseId);
    const r = requests.find((x) => x.id === a.requestId);
    if (!r) throw requestNotFound();
    if (r.status === 'REFERRED' && !needsMagistrate(c.legalStatus)) throw nowCondamne();
    if (r.status !== 'REFERRED') throw new DomainError('DECIDED', 'Cette demande n’attend pas de réponse du magistrat.', 409);
    const problem = magistrateAnswerProblem(a, establishmentDay(now, c.timeZone));
    if (problem) throw new DomainError(problem.field.toUpperCase(), problem.message, 400);
    let hours: number | null = null;
    let slots: 1 | 2 | null = null;
    if (a.answer !== 'REFUSED') {
      // UVF: the magistrate's duration (by default the visit's, else the one proposed); PF: the head's (note PF A.5.a).
      const authorised = answerDuration(
        c.kind,
        { hours: a.hours, slots: a.slots },
        { hours: c.proposedHours, slots: proposedSlotsOf(c) },
        requests.find((x) => x.status === 'GRANTED')?.grantedHours ?? null,
      );
      if ('problem' in authorised) throw new DomainError('PF_DURATION', authorised.problem, 400);
      ({ hours, slots } = authorised);
      const duration =
        hours === null
          ? 'Indiquez la durée de la visite autorisée par le magistrat.'
          : (grantProblem({ kind: c.kind, hours, slots }) ?? sameVisitProblem(requests, r.id, hours));
      if (duration) throw new DomainError('HOURS', duration, 400);
      const applicant = applicantProblem(
        this.facts(r),
        requests.map((x) => this.facts(x)),
      );
      if (applicant) throw new DomainError('GLOBAL', applicant, 409);
      if (await caseHasLiveStay(m, caseId)) throw stayBooked();
    }
    const notifier = (await notifierOf(m, establishmentId, actor.id)) ?? actor.label;
    const body = magistrateDecisionLetter(forLetter(c), r, {
      magistrate: c.magistrate ?? 'le magistrat',
      answer: a.answer,
      until: a.until,
      hours,
      slots,
      reasons: a.reasons,
    });
    return { c, r, hours, slots, notifier, body };
  }

  /** The magistrate's follow-up as it will be recorded, read back before it is (and, for a withdrawal, the letter notifying it). */
  async previewFollowup(actor: AgentActor, establishmentId: string, caseId: string, f: FollowupInput) {
    const x = await this.toFollowup(this.dataSource.manager, actor, establishmentId, caseId, f, this.clock.now(), false);
    return {
      request: x.r,
      authorisation: x.a,
      outcome: x.outcome,
      on: x.on,
      lastDay: x.outcome === 'WITHDRAWN' ? dayBefore(x.on) : null,
      signatory: x.signatory,
      body: x.outcome === 'WITHDRAWN' ? withdrawalLetter(forLetter(x.c), x.r, { ...basisOf(x.a), withdrawnOn: x.on }) : null,
    };
  }

  /**
   * The head (or a delegate) records the magistrate's follow-up on his authorisation after an incident
   * (note DAP 2014: « sollicité pour décision de maintien ou d'annulation de l'autorisation »): maintained,
   * or withdrawn with the date of his decision. A withdrawn authorisation is no longer reused, and every
   * granted request resting on it ends the day before the withdrawal, so no stay can be booked under it;
   * the withdrawal is notified to the detainee (and the relative concerned) by a letter. Audited.
   */
  async recordFollowup(actor: AgentActor, establishmentId: string, caseId: string, f: FollowupInput): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const now = this.clock.now();
      const { c, r, a, outcome, on, signatory } = await this.toFollowup(m, actor, establishmentId, caseId, f, now, true);
      await recordFollowup(m, a.requestId, { outcome, on, at: now });
      let letters: string[] = [];
      const lastDay = outcome === 'WITHDRAWN' ? dayBefore(on) : null;
      if (lastDay) {
        await endAuthorisation(m, a.requestId, lastDay, now);
        letters = await this.lettersTo(
          m,
          c,
          r,
          'FV_MAGISTRATE_DECISION',
          `Annulation de l’autorisation du magistrat — ${KIND_LABELS[c.kind]}`,
          withdrawalLetter(forLetter(c), r, { ...basisOf(a), withdrawnOn: on }),
          signatory.label,
          now,
        );
      }
      const whose = r.applicant === 'DETAINEE' ? 'de la personne détenue' : `de ${r.visitorName}`;
      const message =
        outcome === 'WITHDRAWN'
          ? `Le magistrat a annulé le ${frDay(on)} l’autorisation ${whose} du ${frDay(a.decidedOn)} : aucune visite ne peut plus avoir lieu sous elle.`
          : `Le magistrat a maintenu le ${frDay(on)} l’autorisation ${whose} du ${frDay(a.decidedOn)}.`;
      for (const caseOf of new Set([c.id, a.caseId]))
        await insertDecisionEvent(m, {
          caseId: caseOf,
          requestId: caseOf === c.id ? r.id : a.requestId,
          kind: outcome === 'WITHDRAWN' ? 'AUTHORISATION_WITHDRAWN' : 'AUTHORISATION_MAINTAINED',
          message,
          visibleToFamily: false,
          actorType: 'AGENT',
          actorId: actor.id,
          at: now,
        });
      if (outcome === 'WITHDRAWN' && r.applicant === 'VISITOR')
        await insertDecisionEvent(m, {
          caseId: c.id,
          requestId: r.id,
          kind: 'AUTHORISATION_WITHDRAWN',
          message: `Le magistrat a annulé le ${frDay(on)} son autorisation : aucune visite ne peut plus avoir lieu sous elle. Le courrier est disponible.`,
          visibleToFamily: true,
          actorType: 'AGENT',
          actorId: actor.id,
          at: now,
        });
      await this.audit.record(
        {
          actor,
          action: outcome === 'WITHDRAWN' ? 'FAMILY_VISIT_AUTHORISATION_WITHDRAWN' : 'FAMILY_VISIT_AUTHORISATION_MAINTAINED',
          entityType: 'family_visit_request',
          entityId: a.requestId,
          establishmentId,
          before: { followup: a.followup, followupOn: a.followupOn, until: a.until },
          after: {
            followup: outcome,
            followupOn: on,
            until: lastDay ?? a.until,
            caseId: c.id,
            requestId: r.id,
            signedAs: signatory.label,
            letters,
          },
        },
        m,
      );
    });
  }

  /**
   * The authorisation a follow-up is about, checked. Signing: the cases resting on it, then its row,
   * are locked (a booking locks its case, a grant within it its case then its row: same order).
   */
  private async toFollowup(
    m: EntityManager,
    actor: AgentActor,
    establishmentId: string,
    caseId: string,
    f: FollowupInput,
    now: Date,
    lock: boolean,
  ) {
    const c = await decisionCase(m, establishmentId, caseId);
    if (!c) throw caseNotFound();
    const signatory = await this.signatory(m, actor, c, now);
    if (!needsMagistrate(c.legalStatus))
      throw new DomainError('CONDAMNE', 'La personne détenue est condamnée : aucune autorisation du magistrat n’est en jeu.', 409);
    const today = establishmentDay(now, c.timeZone);
    const r = (await decisionRequests(m, caseId)).find((x) => x.id === f.requestId);
    if (!r) throw requestNotFound();
    let all = await this.authorisations(m, c);
    const sourceId =
      (holdsAuthorisation(r) ? r.id : null) ??
      r.reusedAuthorisationFrom ??
      (r.status === 'RECEIVED' ? (applicableTo(c, r, all, today)?.requestId ?? null) : null);
    if (!sourceId)
      throw new DomainError(
        'REQUESTID',
        'Cette demande ne repose sur aucune autorisation du magistrat : il n’y a rien à maintenir ou annuler.',
        409,
      );
    if (lock) {
      await lockCases(m, [...new Set([c.id, ...(await casesResting(m, sourceId))])].sort());
      await lockAuthorisation(m, sourceId);
      all = await this.authorisations(m, c);
    }
    const a = all.find((x) => x.requestId === sourceId);
    if (!a) throw requestNotFound();
    const problem = followupProblem({ outcome: f.outcome, on: f.on }, a, today);
    if (problem) throw new DomainError(problem.field.toUpperCase(), problem.message, problem.field === 'on' ? 400 : 409);
    return { c, r, a, outcome: f.outcome!, on: f.on!, signatory };
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
          if (!c || needsMagistrate(c.legalStatus) || c.custodyStatus !== 'PRESENT') return;
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
            outcomeOf: { code: 'IMPLICITLY_REJECTED' },
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
    const now = this.clock.now();
    const { c, requests, r, basis } = await this.toDecide(m, actor, establishmentId, caseId, requestId, now, false);
    if (d.decision === 'GRANT') await this.checkGrant(m, c, requests, r, d.grant, basis, establishmentDay(now, c.timeZone));
    else this.checkRefusal(c, r, d.refusal);
  }

  private async checkGrant(
    m: EntityManager,
    c: DecisionCase,
    requests: DecisionRequest[],
    r: DecisionRequest,
    g: GrantDecision,
    basis: Authorisation | null,
    today: string,
  ) {
    // Re-checked at the grant, not only at filing: the detainee is still here, the visitor's permit still valid today.
    const gone = custodyProblem(c.custodyStatus);
    if (gone) throw new DomainError('LEFT', gone, 409);
    const permit = permitGrantProblem(r.permit, r.visitorName, today);
    if (permit) throw new DomainError('PERMIT', permit, 409);
    const problem =
      grantProblem({ kind: c.kind, hours: g.hours, slots: g.slots }) ??
      grantOrderProblem(
        r.applicant,
        requests.find((x) => x.applicant === 'DETAINEE'),
        g.hours,
      ) ??
      // One visit, one duration: the same as a request of the case already granted (by the head or the magistrate).
      sameVisitProblem(requests, r.id, g.hours) ??
      // A case partly transmitted, nothing granted yet: the magistrate was proposed a duration, which every request of the visit shares.
      (basis && c.proposedHours !== null && c.proposedHours !== g.hours && !requests.some((x) => x.status === 'GRANTED')
        ? `La durée proposée au magistrat pour ce dossier est de ${c.proposedHours} heures : la même durée vaut pour chaque demande.`
        : null);
    if (problem) throw new DomainError('HOURS', problem, 400);
    const applicant = applicantProblem(
      this.facts(r),
      requests.map((x) => this.facts(x)),
    );
    if (applicant) throw new DomainError('GLOBAL', applicant, 409);
    if (await caseHasLiveStay(m, c.id)) throw stayBooked();
  }

  private checkRefusal(c: DecisionCase, r: DecisionRequest, d: RefusalDecision) {
    const problem = refusalProblem({ ...d, minor: this.facts(r).minor });
    if (problem) throw new DomainError(problem.field.toUpperCase(), problem.message, 400);
  }

  /** A request's applicant as a grant reads them: a minor on the request's own first wished day (as when it was entered). */
  private facts(r: DecisionRequest): ApplicantFacts {
    return {
      id: r.id,
      status: r.status,
      minor: r.visitorBirthdate !== null && isMinorOn(r.visitorBirthdate, r.wishedFrom),
      accompaniedBy: r.accompaniedBy,
      parentalConsent: r.parentalConsent,
      doneInterviews: r.doneInterviews,
      rulesAcknowledged: r.rulesAcknowledged,
    };
  }

  /**
   * The locked case and request to decide, and the signatory: a request still to decide, after the CPU
   * opinion, of a condamné — or of a prévenu within the magistrate's authorisation in force (`basis`;
   * its row share-locked when signing, after the case).
   */
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
    const requests = await decisionRequests(m, caseId);
    const r = requests.find((x) => x.id === requestId);
    if (!r) throw requestNotFound();
    let basis: Authorisation | null = null;
    if (needsMagistrate(c.legalStatus)) {
      basis = applicableTo(c, r, await this.authorisations(m, c, lock), establishmentDay(now, c.timeZone));
      if (!basis && r.status === 'RECEIVED')
        throw new DomainError(
          'MAGISTRATE',
          'La personne détenue est prévenue : la visite dépend de l’accord du magistrat, et aucune autorisation du magistrat n’est en cours pour cette demande. Transmettez le dossier avec votre avis.',
          409,
        );
    }
    if (c.cpuOpinion === null)
      throw new DomainError('NOT_READY', 'Recueillez d’abord l’avis de la CPU : le chef d’établissement décide après la commission.', 409);
    const condamne = !needsMagistrate(c.legalStatus);
    if (r.status === 'REFERRED' && !condamne)
      throw new DomainError('DECIDED', 'Cette demande est transmise au magistrat : enregistrez sa réponse quand elle arrive.', 409);
    if (!stillToDecide(c, r)) throw new DomainError('DECIDED', 'Cette demande est déjà décidée ou retirée.', 409);
    // A prévenu who became condamné after the referral: the case no longer waits for the magistrate, the head decides.
    if (!(c.status === 'CPU' || (c.status === 'REFERRED' && (basis || condamne))))
      throw new DomainError('DECIDED', 'Ce dossier est décidé ou clos.', 409);
    return { c, requests, r, signatory, basis };
  }

  /** The magistrate's answers on the detainee's requests of the case's kind, with their day on the establishment's clock. */
  private async authorisations(db: EntityManager, c: DecisionCase, lock = false): Promise<Authorisation[]> {
    return (await magistrateDecisionsOf(db, c.detaineeId, c.kind, lock)).map((row) => authorisationOf(row, c.timeZone));
  }

  /**
   * Who records the magistrate's answer: the head, a signature delegate, or the greffe, which receives
   * the magistrate's mail — never a SPIP counsellor (who instructs the case), even with a delegation.
   */
  private async answerRecorder(m: EntityManager, actor: AgentActor, c: DecisionCase, now: Date): Promise<void> {
    if (await holdsRoleAt(m, actor.id, c.establishmentId, 'PERMITS_OFFICER')) return;
    await this.signatory(m, actor, c, now).catch((e: unknown) => {
      throw e instanceof DomainError && e.code === 'NOT_SIGNATORY' ? notAnswerRecorder() : e;
    });
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
        name: this.facts(r).minor
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
    x: {
      kind: string;
      message: string;
      familyMessage: string;
      audit: { action: string; after: Record<string, unknown> };
      outcome: string;
      /** The outcome as codes, for the family's e-mail in its language (`outcome` is the French words). */
      outcomeOf: FamilyOutcome;
    },
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
            outcomeOf: x.outcomeOf,
            kind: c.kind,
            followUrl: `/uvf/demandes/${r.id}`,
          },
          entity: { type: 'family_visit_request', id: r.id },
          establishmentId: c.establishmentId,
        },
        now,
      );
    // One rule with the withdrawal's: once nothing is left to decide, DECIDED if a stay may come, else CLOSED.
    const next = caseStatusAfterWithdrawal(
      c.status as FamilyVisitCaseStatus,
      await decisionRequests(m, c.id),
      await caseHasLiveStay(m, c.id),
    );
    if (next !== c.status) {
      await setCaseStatus(m, c.id, next, now);
      if (next === 'CLOSED')
        await insertDecisionEvent(m, {
          caseId: c.id,
          requestId: null,
          kind: 'CASE_CLOSED',
          message: 'Dossier clos : chaque demande est décidée ou retirée, aucune visite n’aura lieu.',
          visibleToFamily: true,
          actorType: actor.type === 'SYSTEM' ? 'SYSTEM' : 'AGENT',
          actorId: actor.id ?? null,
          at: now,
        });
    }
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

/**
 * An incident recorded during the stay of a prévenu's visit is reported to the magistrate who
 * authorised it (a letter, audited), in the caller's transaction. Returns the letter's id, or null
 * when no magistrate authorised the stay.
 */
export function reportIncidentToMagistrate(
  m: EntityManager,
  audit: AuditService,
  actor: Actor & { id: string },
  stayId: string,
  incident: { at: Date; notes: string },
): Promise<string | null> {
  return reportToMagistrate(m, audit, actor, stayId, { ...incident, endedEarly: false });
}

/**
 * A stay ended early: when it was for security and the visit is a prévenu's, the magistrate who
 * authorised it is told, and asked to maintain or cancel his authorisation (note DAP 2014, « le
 * magistrat en charge du dossier est informé de l'incident et sollicité pour décision de maintien ou
 * d'annulation de l'autorisation »): a letter, audited, in the caller's transaction. Returns the
 * letter's id, or null (an early end at a party's request, or no magistrate).
 */
export function reportEarlyEndToMagistrate(
  m: EntityManager,
  audit: AuditService,
  actor: Actor & { id: string },
  stayId: string,
  earlyEnd: { at: Date; reason: string },
): Promise<string | null> {
  if (!securityEarlyEnd(earlyEnd.reason)) return Promise.resolve(null);
  return reportToMagistrate(m, audit, actor, stayId, { at: earlyEnd.at, notes: earlyEndNotes(earlyEnd.reason), endedEarly: true });
}

/**
 * A request transmitted to the magistrate (REFERRED) and withdrawn before his answer: the magistrate,
 * still seized, is told by a letter that it calls for no answer (and which requests of the case still
 * do), with a line of the case's history, audited `FAMILY_VISIT_WITHDRAWAL_REPORTED`, in the
 * withdrawal's transaction (the caller has locked the case and marked the request withdrawn). Signed
 * by the agent who records the withdrawal (name and quality); unsigned (the establishment's) when the
 * family withdraws online. Returns the letter's id, or null when the case was never transmitted.
 */
export async function reportWithdrawalToMagistrate(
  m: EntityManager,
  audit: AuditService,
  actor: Actor & { id: string },
  x: { establishmentId: string; caseId: string; requestId: string; withdrawnAt: Date; now: Date },
): Promise<string | null> {
  const c = await decisionCase(m, x.establishmentId, x.caseId);
  if (!c?.referredAt || !c.magistrate) return null;
  const requests = await decisionRequests(m, c.id);
  const r = requests.find((q) => q.id === x.requestId);
  if (!r) return null;
  const byFamily = actor.type === 'FAMILY';
  const stillReferred = requests
    .filter((q) => q.status === 'REFERRED')
    .map((q) => (q.applicant === 'DETAINEE' ? 'la personne détenue' : (q.visitorName ?? 'un visiteur')));
  const letterId = await recordLetter(m, {
    establishmentId: c.establishmentId,
    familyVisitCaseId: c.id,
    familyVisitRequestId: r.id,
    familyAccountId: null,
    kind: 'FV_REFERRAL',
    title: `Retrait d’une demande transmise au magistrat — ${KIND_LABELS[c.kind]}`,
    addressee: c.magistrate,
    author: byFamily ? null : ((await notifierOf(m, c.establishmentId, actor.id)) ?? actor.label),
    body: withdrawnReferralNotice(forLetter(c), r, {
      referredAt: new Date(c.referredAt),
      withdrawnAt: x.withdrawnAt,
      byFamily,
      stillReferred,
    }),
    issuedAt: x.now,
  });
  const whose = r.applicant === 'DETAINEE' ? 'de la personne détenue' : `de ${r.visitorName}`;
  await insertDecisionEvent(m, {
    caseId: c.id,
    requestId: r.id,
    kind: 'WITHDRAWAL_REPORTED',
    message: `Retrait de la demande ${whose} signalé au magistrat (${c.magistrate}), qui n’a plus à y répondre.`,
    visibleToFamily: false,
    actorType: byFamily ? 'FAMILY' : 'AGENT',
    actorId: actor.id,
    at: x.now,
  });
  await audit.record(
    {
      actor,
      action: 'FAMILY_VISIT_WITHDRAWAL_REPORTED',
      entityType: 'family_visit_request',
      entityId: r.id,
      establishmentId: c.establishmentId,
      after: {
        caseId: c.id,
        magistrate: c.magistrate,
        letterId,
        stillReferred: requests.filter((q) => q.status === 'REFERRED').map((q) => q.id),
      },
    },
    m,
  );
  return letterId;
}

async function reportToMagistrate(
  m: EntityManager,
  audit: AuditService,
  actor: Actor & { id: string },
  stayId: string,
  incident: { at: Date; notes: string; endedEarly: boolean },
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
    title: `${incident.endedEarly ? 'Fin anticipée pour raison de sécurité' : 'Compte rendu d’incident'} — ${KIND_LABELS[c.kind]}`,
    addressee: s.magistrate,
    author: actor.label,
    body: incidentReport(forLetter(c), { magistrate: s.magistrate, unit: s.unit, ...incident }),
    issuedAt: incident.at,
  });
  await insertDecisionEvent(m, {
    caseId: s.caseId,
    requestId: null,
    kind: 'INCIDENT_REPORTED',
    message: incident.endedEarly
      ? `Fin anticipée de la visite pour raison de sécurité signalée au magistrat (${s.magistrate}), sollicité pour maintenir ou annuler son autorisation.`
      : `Incident signalé au magistrat (${s.magistrate}).`,
    visibleToFamily: false,
    actorType: 'AGENT',
    actorId: actor.id,
    at: incident.at,
  });
  await audit.record(
    {
      actor,
      action: incident.endedEarly ? 'FAMILY_VISIT_EARLY_END_REPORTED' : 'FAMILY_VISIT_INCIDENT_REPORTED',
      entityType: 'family_visit_case',
      entityId: s.caseId,
      establishmentId: s.establishmentId,
      after: { stayId, magistrate: s.magistrate, letterId },
    },
    m,
  );
  return letterId;
}

/**
 * A request the head still has to decide: received, or — once a prévenu has become condamné after the
 * referral — transmitted to the magistrate who no longer answers it.
 */
function stillToDecide(c: DecisionCase, r: DecisionRequest): boolean {
  return r.status === 'RECEIVED' || (r.status === 'REFERRED' && !needsMagistrate(c.legalStatus));
}

/** The request holds the magistrate's own authorisation (permanent or temporary, granted on his answer). */
function holdsAuthorisation(r: DecisionRequest): boolean {
  return r.decidedByMagistrate && r.status === 'GRANTED' && (r.magistrateAnswer === 'PERMANENT' || r.magistrateAnswer === 'TEMPORARY');
}

/** The authorisation of the magistrate in force that a request of this case may be decided within (another case's answer), or null. */
function applicableTo(c: DecisionCase, r: DecisionRequest, all: Authorisation[], today: string): Authorisation | null {
  return applicableAuthorisation(
    {
      kind: c.kind,
      applicant: r.applicant,
      visitor: r.permitId
        ? {
            permitId: r.permitId,
            givenName: r.visitorGivenName ?? '',
            familyName: r.visitorFamilyName ?? '',
            birthdate: r.visitorBirthdate,
          }
        : null,
    },
    all.filter((a) => a.caseId !== c.id),
    today,
  );
}

function authorisationOf(row: MagistrateDecisionRow, timeZone: string): Authorisation {
  return {
    requestId: row.requestId,
    caseId: row.caseId,
    caseReference: row.caseReference,
    kind: row.kind,
    applicant: row.applicant,
    visitor: row.permitId
      ? {
          permitId: row.permitId,
          givenName: row.visitorGivenName ?? '',
          familyName: row.visitorFamilyName ?? '',
          birthdate: row.visitorBirthdate,
        }
      : null,
    answer: row.answer,
    until: row.until,
    decidedAt: new Date(row.decidedAt),
    decidedOn: establishmentDay(new Date(row.decidedAt), timeZone),
    followup: row.followup,
    followupOn: row.followupOn,
    magistrate: row.magistrate,
  };
}

/** What a letter says of the authorisation a decision rests on. */
function basisOf(a: Authorisation): AuthorisationBasis {
  return {
    magistrate: a.magistrate,
    answer: a.answer === 'TEMPORARY' ? 'TEMPORARY' : 'PERMANENT',
    until: a.answer === 'TEMPORARY' ? a.until : null,
    decidedOn: a.decidedOn,
  };
}

/** « 18/01/2027 » for a day AAAA-MM-JJ. */
function frDay(day: string): string {
  return day.split('-').reverse().join('/');
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
    timeZone: c.timeZone,
    referredThenCondamne:
      c.referredAt && !needsMagistrate(c.legalStatus) ? { magistrate: c.magistrate, referredAt: new Date(c.referredAt) } : null,
  };
}

/** The slots the head proposed for a PF (one when transmitted before they were recorded); null for a UVF. */
function proposedSlotsOf(c: DecisionCase): 1 | 2 | null {
  return c.kind === 'PF' ? (c.proposedSlots ?? 1) : null;
}

function cpuLine(c: DecisionCase): string | null {
  if (!c.cpuOpinion) return null;
  const opinion = { FAVOURABLE: 'favorable', UNFAVOURABLE: 'défavorable', RESERVED: 'réservé' }[c.cpuOpinion] ?? c.cpuOpinion;
  return `avis ${opinion}${c.cpuOn ? ` du ${c.cpuOn.split('-').reverse().join('/')}` : ''}${c.cpuNotes ? ` — ${c.cpuNotes}` : ''}.`;
}
