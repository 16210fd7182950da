import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppointmentScopes, AppointmentsService } from '../appointments/appointments.service';
import { Actor, AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import type { Establishment } from '../establishments/establishment.entity';
import type { PermitFileStore } from '../permits/permit-files';
import { detaineeEntitlement } from './entitlement.service';
import { FAMILY_VISIT_DOCUMENTS } from './instruction-documents';
import {
  cancelInterview,
  completeInterview,
  cancelInterviewsOfAppointment,
  caseDocuments,
  caseEvents,
  caseInterviews,
  caseRequests,
  findCase,
  findDocument,
  findInterview,
  insertEvent,
  scheduledInterviewsOfRequest,
  insertInterview,
  queueCases,
  recordCpuOpinion,
  setInterviewAppointment,
  takeCase,
  upsertJuvenileJudge,
  type CaseRow,
  type DocumentRow,
  type QueueFilter,
  type RequestRow,
} from './instruction.queries';
import {
  closestDaysLeft,
  committedToRules,
  CPU_OPINION_LABELS,
  daysLeft,
  establishmentDay,
  JUDGE_OPINION_LABELS,
  judgeOpinionAwaited,
  juvenileJudgeProblem,
  missingForCpu,
  MODE_LABELS,
  type ApplicantState,
  type JuvenileJudgeInput,
} from './instruction.rules';
import { ageOn, isMinorOn } from './requests.rules';

const notFound = () => new DomainError('NOT_FOUND', 'Dossier introuvable.', 404);

export interface InterviewInput {
  requestId: string;
  day: string;
  time: string;
  mode: 'IN_PERSON' | 'PHONE' | 'VISIO';
  status: 'SCHEDULED' | 'DONE';
  notes: string | null;
  linkAssessment: string | null;
  preparationAssessment: string | null;
  /** A minor's interview held with the accompanying adult present. */
  withAccompanyingAdult: boolean;
}

export interface CpuInput {
  cpuOn: string;
  opinion: 'FAVOURABLE' | 'UNFAVOURABLE' | 'RESERVED';
  notes: string | null;
}

/** Who an applicant is on the case page and in messages. */
export function applicantLabel(r: Pick<RequestRow, 'applicant' | 'visitorName'>): string {
  return r.applicant === 'DETAINEE' ? 'la personne détenue' : (r.visitorName ?? 'le visiteur');
}

/** A visitor under 18 on the case's first wished day (as the decisions count it). */
function isMinorRequest(r: Pick<RequestRow, 'visitorBirthdate'>, c: Pick<CaseRow, 'wishedFrom'>): boolean {
  return r.visitorBirthdate !== null && isMinorOn(r.visitorBirthdate, c.wishedFrom);
}

/** « 12/04/2026 » */
const dayFr = (day: string) => day.split('-').reverse().join('/');

/**
 * The SPIP counsellor's instruction of UVF / PF cases: the work queue, the case file, the interviews
 * with each applicant (a scheduled one with a visitor who has an account and an e-mail is a
 * convocation: an appointment with its reminders), and the CPU opinion once the case is ready.
 */
@Injectable()
export class FamilyVisitInstructionService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly appointments: AppointmentsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(FAMILY_VISIT_DOCUMENTS) private readonly store: PermitFileStore,
  ) {}

  /** A convocation cancelled by the family (« Mes rendez-vous ») cancels its interview. */
  onModuleInit(): void {
    this.appointments.onCancel('SPIP_INTERVIEW', async (m, appointment, actor, now) => {
      for (const i of await cancelInterviewsOfAppointment(m, appointment.id))
        await insertEvent(m, {
          caseId: i.caseId,
          requestId: i.requestId,
          kind: 'INTERVIEW_CANCELLED',
          message: 'Entretien annulé (convocation annulée).',
          actorType: actor.type,
          actorId: actor.id ?? null,
          at: now,
        });
    });
  }

  /** The establishment's cases with, for each, the days left before its closest deadline (the establishment's days). */
  async queue(establishment: { id: string; timeZone: string }, filter: QueueFilter, page: number, pageSize: number) {
    const now = this.clock.now();
    const { total, rows } = await queueCases(this.dataSource.manager, establishment.id, filter, page, pageSize);
    return {
      total,
      rows: rows.map(({ requests, ...r }) => ({
        ...r,
        daysLeft: closestDaysLeft(
          requests.map((q) => ({ receivedAt: new Date(q.receivedAt), status: q.status })),
          now,
          establishment.timeZone,
        ),
      })),
    };
  }

  /**
   * The case file: the case, its requests with their documents and interviews (a minor's with the
   * accompanying adult, the parental consents, the child's exit time and carer, the juge des enfants'
   * opinion), what is missing for the CPU, the history.
   */
  async caseFile(establishmentId: string, id: string) {
    const db = this.dataSource.manager;
    const c = await findCase(db, establishmentId, id);
    if (!c) throw notFound();
    const now = this.clock.now();
    const [requests, documents, interviews, events] = await Promise.all([
      caseRequests(db, id),
      caseDocuments(db, id),
      caseInterviews(db, id),
      caseEvents(db, id),
    ]);
    const applicants = requests.map((r) => {
      const state = this.state(c, { ...r, label: applicantLabel(r) }, interviews, documents);
      const companion = r.accompaniedBy ? requests.find((x) => x.id === r.accompaniedBy) : undefined;
      return {
        ...r,
        label: state.label,
        /** The day of receipt in the establishment (AAAA-MM-JJ), the day its deadline counts from. */
        receivedDay: establishmentDay(r.receivedAt, c.timeZone),
        daysLeft: daysLeft(r, now, c.timeZone),
        documents: documents.filter((d) => d.requestId === r.id),
        interviews: interviews.filter((i) => i.requestId === r.id),
        minor: state.minor,
        age: r.visitorBirthdate !== null ? ageOn(r.visitorBirthdate, c.wishedFrom) : null,
        companionName: companion ? applicantLabel(companion) : null,
        consents: documents.filter((d) => d.requestId === r.id && d.kind === 'PARENTAL_CONSENT'),
        /** The written commitment to the rules: SIGNED, the parental CONSENT standing for a minor's, or null. */
        commitment: r.rulesAcknowledgedAt ? 'SIGNED' : committedToRules(state) ? 'CONSENT' : null,
        state,
      };
    });
    const missing = missingForCpu(applicants.map((a) => a.state));
    return { case: c, applicants, missing, events, entitlement: await detaineeEntitlement(db, establishmentId, c.detaineeId, now) };
  }

  async document(establishmentId: string, caseId: string, id: string): Promise<{ content: Buffer; contentType: string }> {
    const doc = await findDocument(this.dataSource.manager, establishmentId, caseId, id);
    if (!doc) throw new DomainError('NOT_FOUND', 'Document introuvable.', 404);
    return { content: await this.store.get(doc.storageKey), contentType: doc.contentType };
  }

  /** Records an interview (done, with its notes and assessments) or schedules one (with a convocation when the visitor can get it). */
  async recordInterview(actor: Actor & { id: string }, establishment: Establishment, caseId: string, input: InterviewInput): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const now = this.clock.now();
      const c = await this.openCase(m, establishment.id, caseId);
      const request = (await caseRequests(m, caseId)).find((r) => r.id === input.requestId);
      if (!request) throw new DomainError('APPLICANT', 'Choisissez la personne reçue en entretien parmi les demandeurs du dossier.', 400);
      if (request.status === 'WITHDRAWN') throw new DomainError('APPLICANT', 'Cette demande a été retirée.', 409);
      if (input.withAccompanyingAdult && !isMinorRequest(request, c))
        throw new DomainError(
          'WITH_ADULT',
          'Seul l’entretien d’un visiteur mineur se tient en présence de l’adulte qui l’accompagne : décochez la case.',
          400,
        );
      const interview = await insertInterview(m, {
        ...input,
        counsellorId: actor.id,
        localAt: `${input.day} ${input.time}`,
        timeZone: establishment.timeZone,
      });
      if (input.status === 'DONE' && interview.at.getTime() > now.getTime())
        throw new DomainError('AT', 'Un entretien réalisé ne peut pas être daté dans le futur.', 400);
      if (input.status === 'SCHEDULED' && interview.at.getTime() <= now.getTime())
        throw new DomainError('AT', 'Un entretien à venir doit être daté dans le futur.', 400);
      let convocation = false;
      if (input.status === 'SCHEDULED' && request.applicant === 'VISITOR' && request.familyAccountId && request.familyEmail) {
        const appointment = await this.appointments.bookIn(
          m,
          actor,
          {
            kind: 'SPIP_INTERVIEW',
            establishmentId: establishment.id,
            familyAccountId: request.familyAccountId,
            contactEmail: request.familyEmail,
            contactPhone: request.familyPhone, // the SMS reminder, as a visit's
            startsAt: interview.at,
            endsAt: new Date(interview.at.getTime() + 3_600_000),
            place: input.mode === 'IN_PERSON' ? 'SPIP, accueil du public' : `Entretien ${MODE_LABELS[input.mode].toLowerCase()}`,
            address: establishment.address ?? establishment.name,
          },
          now,
        );
        await setInterviewAppointment(m, interview.id, appointment.id);
        convocation = true;
      }
      await takeCase(m, caseId, actor.id);
      const who = applicantLabel(request);
      const how = `${MODE_LABELS[input.mode].toLowerCase()}${input.withAccompanyingAdult ? ', en présence de l’adulte qui l’accompagne' : ''}`;
      await insertEvent(m, {
        caseId,
        requestId: request.id,
        kind: input.status === 'DONE' ? 'INTERVIEW_DONE' : 'INTERVIEW_SCHEDULED',
        message:
          input.status === 'DONE'
            ? `Entretien réalisé avec ${who} (${how}).`
            : `Entretien prévu avec ${who} (${how})${convocation ? ', convocation envoyée' : ''}.`,
        actorType: 'AGENT',
        actorId: actor.id,
        at: now,
      });
      await this.audit.record(
        {
          actor,
          action: input.status === 'DONE' ? 'FAMILY_VISIT_INTERVIEW_DONE' : 'FAMILY_VISIT_INTERVIEW_SCHEDULED',
          entityType: 'family_visit_interview',
          entityId: interview.id,
          establishmentId: establishment.id,
          after: {
            caseId: c.id,
            requestId: request.id,
            at: interview.at.toISOString(),
            mode: input.mode,
            status: input.status,
            convocation,
            withAccompanyingAdult: input.withAccompanyingAdult,
          },
        },
        m,
      );
    });
  }

  /** Cancels a scheduled interview, and its convocation (the family is told by the appointment's cancellation). */
  async cancelInterview(actor: Actor & { id: string }, establishmentId: string, caseId: string, interviewId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const now = this.clock.now();
      await this.openCase(m, establishmentId, caseId);
      const interview = await findInterview(m, caseId, interviewId);
      if (!interview) throw new DomainError('NOT_FOUND', 'Entretien introuvable.', 404);
      if (interview.status !== 'SCHEDULED') throw new DomainError('NOT_SCHEDULED', 'Seul un entretien à venir peut être annulé.', 409);
      await this.cancelScheduled(m, actor, establishmentId, caseId, interview, now, {
        reason: 'Entretien annulé par le SPIP',
        message: 'Entretien annulé par le SPIP.',
      });
    });
  }

  /**
   * A withdrawn request's scheduled interviews are cancelled with it, in the withdrawal's transaction,
   * as the counsellor's own cancellation does: the convocation (appointment) is cancelled, its reminders
   * dropped and the family told; each is in the history and audited.
   */
  async cancelInterviewsOfWithdrawnRequest(
    m: EntityManager,
    actor: Actor & { id: string },
    establishmentId: string,
    caseId: string,
    requestId: string,
  ): Promise<number> {
    const now = this.clock.now();
    const interviews = await scheduledInterviewsOfRequest(m, requestId);
    for (const interview of interviews)
      await this.cancelScheduled(m, actor, establishmentId, caseId, interview, now, {
        reason: 'Demande retirée',
        message: 'Entretien annulé : la demande est retirée.',
      });
    return interviews.length;
  }

  /** Cancels a scheduled interview (locked by the caller) and its convocation when still ahead; history, audit. */
  private async cancelScheduled(
    m: EntityManager,
    actor: Actor & { id: string },
    establishmentId: string,
    caseId: string,
    interview: { id: string; requestId: string; appointmentId: string | null; at: Date },
    now: Date,
    why: { reason: string; message: string },
  ): Promise<void> {
    await cancelInterview(m, interview.id);
    if (interview.appointmentId && interview.at.getTime() > now.getTime())
      await this.appointments.cancelIn(
        m,
        actor,
        AppointmentScopes.establishment(establishmentId),
        interview.appointmentId,
        why.reason,
        now,
      );
    await insertEvent(m, {
      caseId,
      requestId: interview.requestId,
      kind: 'INTERVIEW_CANCELLED',
      message: why.message,
      actorType: actor.type,
      actorId: actor.id,
      at: now,
    });
    await this.audit.record(
      {
        actor,
        action: 'FAMILY_VISIT_INTERVIEW_CANCELLED',
        entityType: 'family_visit_interview',
        entityId: interview.id,
        establishmentId,
        before: { status: 'SCHEDULED' },
        after: { status: 'CANCELLED', reason: why.reason },
      },
      m,
    );
  }

  /** The report of a scheduled interview that took place: it is then done. */
  async reportInterview(
    actor: Actor & { id: string },
    establishmentId: string,
    caseId: string,
    interviewId: string,
    report: { notes: string; linkAssessment: string; preparationAssessment: string },
  ): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const now = this.clock.now();
      await this.openCase(m, establishmentId, caseId);
      const interview = await findInterview(m, caseId, interviewId);
      if (!interview) throw new DomainError('NOT_FOUND', 'Entretien introuvable.', 404);
      if (interview.status !== 'SCHEDULED') throw new DomainError('NOT_SCHEDULED', 'Cet entretien n’est plus prévu.', 409);
      if (interview.at.getTime() > now.getTime())
        throw new DomainError('NOT_YET', 'Cet entretien n’a pas encore eu lieu : saisissez le compte rendu après l’entretien.', 409);
      await completeInterview(m, interview.id, report);
      await insertEvent(m, {
        caseId,
        requestId: interview.requestId,
        kind: 'INTERVIEW_DONE',
        message: 'Compte rendu d’un entretien prévu : entretien réalisé.',
        actorType: 'AGENT',
        actorId: actor.id,
        at: now,
      });
      await this.audit.record(
        {
          actor,
          action: 'FAMILY_VISIT_INTERVIEW_DONE',
          entityType: 'family_visit_interview',
          entityId: interview.id,
          establishmentId,
          before: { status: 'SCHEDULED' },
          after: { caseId, requestId: interview.requestId, status: 'DONE' },
        },
        m,
      );
    });
  }

  /** The CPU opinion, only once the case is ready (every applicant interviewed and having acknowledged the rules). */
  async recordCpu(actor: Actor & { id: string }, establishmentId: string, caseId: string, input: CpuInput): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const now = this.clock.now();
      const c = await this.openCase(m, establishmentId, caseId);
      const [interviews, requests, documents] = await Promise.all([
        caseInterviews(m, caseId),
        caseRequests(m, caseId),
        caseDocuments(m, caseId),
      ]);
      const missing = missingForCpu(requests.map((r) => this.state(c, { ...r, label: applicantLabel(r) }, interviews, documents)));
      if (missing.length) throw new DomainError('NOT_READY', `Le dossier n’est pas prêt pour la CPU : ${missing.join(' ')}`, 409);
      await recordCpuOpinion(m, caseId, input);
      await insertEvent(m, {
        caseId,
        kind: 'CPU_OPINION',
        message: `Avis de la CPU du ${input.cpuOn.split('-').reverse().join('/')} : ${CPU_OPINION_LABELS[input.opinion].toLowerCase()}.`,
        actorType: 'AGENT',
        actorId: actor.id,
        at: now,
      });
      await this.audit.record(
        {
          actor,
          action: 'FAMILY_VISIT_CPU_OPINION',
          entityType: 'family_visit_case',
          entityId: caseId,
          establishmentId,
          before: { status: c.status },
          after: { status: 'CPU', cpuOn: input.cpuOn, opinion: input.opinion },
        },
        m,
      );
    });
  }

  /**
   * What the SPIP counsellor records of a minor's follow-up by a juge des enfants (the opinion asked
   * through the PJJ, then received), for one minor's request of a case under instruction; audited.
   */
  async recordJuvenileJudge(
    actor: Actor & { id: string },
    establishment: Establishment,
    caseId: string,
    requestId: string,
    input: JuvenileJudgeInput,
  ): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const now = this.clock.now();
      const c = await this.openCase(m, establishment.id, caseId);
      const request = (await caseRequests(m, caseId)).find((r) => r.id === requestId);
      // The juge des enfants' opinion is about a minor's request only: there is none to record for anyone else.
      if (!request || !isMinorRequest(request, c)) throw new DomainError('NOT_FOUND', 'Demande de visiteur mineur introuvable.', 404);
      if (request.status === 'WITHDRAWN') throw new DomainError('WITHDRAWN', 'Cette demande a été retirée.', 409);
      const j = input.followed ? input : { ...input, pjjService: null, askedOn: null, opinion: null, receivedOn: null };
      const problem = juvenileJudgeProblem(j, establishmentDay(now, establishment.timeZone));
      if (problem) throw new DomainError(problem.field.toUpperCase(), problem.message, 400);
      await upsertJuvenileJudge(m, request.id, j, actor.id, now);
      await takeCase(m, caseId, actor.id);
      const who = applicantLabel(request);
      await insertEvent(m, {
        caseId,
        requestId: request.id,
        kind: 'JUVENILE_JUDGE',
        message: !j.followed
          ? `Aucun suivi de ${who} par un juge des enfants connu du SPIP.`
          : j.opinion
            ? `Avis du juge des enfants qui suit ${who} reçu le ${dayFr(j.receivedOn!)} : ${JUDGE_OPINION_LABELS[j.opinion].toLowerCase()}.`
            : `Avis du juge des enfants qui suit ${who} demandé le ${dayFr(j.askedOn!)} par l’intermédiaire de la PJJ (${j.pjjService}).`,
        actorType: 'AGENT',
        actorId: actor.id,
        at: now,
      });
      const before = request.juvenileJudge;
      await this.audit.record(
        {
          actor,
          action: 'FAMILY_VISIT_JUVENILE_JUDGE_OPINION',
          entityType: 'family_visit_request',
          entityId: request.id,
          establishmentId: establishment.id,
          before: before
            ? {
                followed: before.followed,
                pjjService: before.pjjService,
                askedOn: before.askedOn,
                opinion: before.opinion,
                receivedOn: before.receivedOn,
              }
            : undefined,
          after: {
            caseId,
            followed: j.followed,
            pjjService: j.pjjService,
            askedOn: j.askedOn,
            opinion: j.opinion,
            receivedOn: j.receivedOn,
          },
        },
        m,
      );
    });
  }

  private state(
    c: Pick<CaseRow, 'wishedFrom'>,
    r: RequestRow & { label: string },
    interviews: { requestId: string; status: string }[],
    documents: Pick<DocumentRow, 'requestId' | 'kind'>[],
  ): ApplicantState {
    const minor = isMinorRequest(r, c);
    return {
      requestId: r.id,
      label: r.label,
      applicant: r.applicant,
      status: r.status,
      rulesAcknowledged: r.rulesAcknowledgedAt !== null,
      doneInterviews: interviews.filter((i) => i.requestId === r.id && i.status === 'DONE').length,
      minor,
      parentalConsent: documents.some((d) => d.requestId === r.id && d.kind === 'PARENTAL_CONSENT'),
      judgeOpinionAwaited: minor && judgeOpinionAwaited(r.juvenileJudge),
    };
  }

  /** The case, locked, still under instruction. */
  private async openCase(m: EntityManager, establishmentId: string, caseId: string): Promise<CaseRow> {
    const c = await findCase(m, establishmentId, caseId, true);
    if (!c) throw notFound();
    if (c.status !== 'INSTRUCTION')
      throw new DomainError('CLOSED', 'L’instruction de ce dossier est terminée : l’avis de la CPU est rendu.', 409);
    return c;
  }
}
