import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { DetaineesService } from '../detainees/detainees.service';
import { NotificationsService } from '../notifications/notifications.service';
import { departmentOf } from './decisions.queries';
import { recordLetter, recourseParagraphs } from './letters';
import {
  decideMeasure,
  flagMagistratePermits,
  insertMeasure,
  letterOfMeasure,
  lettersOfPermit,
  MeasureLetterRow,
  MeasureRow,
  measuresOfPermit,
  openMeasure,
  PermitForMeasure,
  permitForMeasure,
  permitOfFamilyForMeasure,
  recordMagistrateAnswer,
  saveObservations,
  setHeadReviewDue,
  suspensionsEnded,
} from './permit-measures.queries';
import {
  competentAuthority,
  decisionParagraphs,
  enactRefusal,
  establishmentDay,
  frenchDay,
  intendedMeasureParagraphs,
  LEGAL_STATUS_LABELS,
  MEASURE_LABELS,
  MEASURE_STATUS_LABELS,
  MAGISTRATE_ANSWER_LABELS,
  MeasureLetterInput,
  MIN_GROUNDS_LENGTH,
  OBSERVATIONS_DAYS,
  observationsDue,
  observationsDays,
  observationsOpen,
  liftRefusal,
} from './permit-measures.rules';
import { setPermitStatus } from './permit.queries';
import { signatoryFor, type Signatory } from './signatory';
import { tr } from '../common/translate';

export interface ProposeInput {
  kind: 'SUSPENSION' | 'WITHDRAWAL';
  grounds: string;
  suspendedUntil: string | null;
  urgent: boolean;
  urgencyJustification: string | null;
}

export interface ReferInput {
  grounds: string;
  magistrate: string | null;
}

export interface AnswerInput {
  answer: 'MAINTAINED' | 'SUSPENDED' | 'WITHDRAWN';
  note: string | null;
}

/** What the permit page shows of measures, and what the agent may do there. */
export interface MeasuresPanel {
  authority: 'HEAD' | 'MAGISTRATE';
  headReviewDue: boolean;
  legalStatus: string;
  legalStatusLabel: string;
  kindLabels: typeof MEASURE_LABELS;
  statusLabels: typeof MEASURE_STATUS_LABELS;
  answerLabels: typeof MAGISTRATE_ANSWER_LABELS;
  issuingAuthority: string | null;
  status: string;
  open: MeasureRow | null;
  /** The open intended measure may be enacted now (observations received or delay over). */
  enactable: boolean;
  measures: MeasureRow[];
  letters: MeasureLetterRow[];
  /** The agent signs permit decisions (head, or a delegate in force). */
  signatory: boolean;
  /** The agent may lift the suspension (a head's suspension, no measure open; never the magistrate's). */
  liftable: boolean;
  observationsDays: number;
}

const notFound = () => new DomainError('NOT_FOUND', tr('permits:errors.permitNotFound'), 404);
const notSignatory = () =>
  new DomainError(
    'NOT_SIGNATORY',
    'Seul le chef d’établissement, ou un agent ayant une délégation de signature en cours, peut prendre une mesure sur un permis.',
    403,
  );
const magistrateCompetent = () =>
  new DomainError(
    'MAGISTRATE_COMPETENT',
    'Ce permis relève du magistrat chargé du dossier : le chef d’établissement ne peut ni le suspendre ni le retirer. ' +
      'Vous pouvez seulement surseoir à la visite et en référer au magistrat.',
    409,
  );

/**
 * Measures on a permit. A condamné's permit is suspended or withdrawn after a contradictory step
 * (CRPA L121-1, L122-1) — the holder is told the intended measure and may answer — unless urgency;
 * a magistrate's permit is only put on hold and referred to the magistrate (R341-3 1°), whose answer
 * is then recorded. Every change in one transaction, the permit row locked, audited, the family told.
 */
@Injectable()
export class PermitMeasuresService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    private readonly detainees: DetaineesService,
  ) {}

  /** A detainee who became condamné: the magistrate's permits are flagged for the head's review (R341-5). */
  onModuleInit(): void {
    this.detainees.onConviction(async (m, actor, establishmentId, detaineeId) => {
      await flagForHeadReview(m, this.audit, actor, establishmentId, detaineeId);
    });
  }

  async panel(establishmentId: string, permitId: string, agentId: string): Promise<MeasuresPanel> {
    const db = this.dataSource.manager;
    const p = await permitForMeasure(db, establishmentId, permitId, false);
    if (!p) throw notFound();
    const today = establishmentDay(this.clock.now(), p.timeZone);
    const open = await openMeasure(db, permitId);
    const measures = await measuresOfPermit(db, permitId);
    const signatory = (await signatoryFor(db, establishmentId, agentId, today)) !== null;
    return {
      authority: competentAuthority(p),
      headReviewDue: p.headReviewDue,
      legalStatus: p.legalStatus,
      legalStatusLabel: LEGAL_STATUS_LABELS[p.legalStatus],
      kindLabels: MEASURE_LABELS,
      statusLabels: MEASURE_STATUS_LABELS,
      answerLabels: MAGISTRATE_ANSWER_LABELS,
      issuingAuthority: p.issuingAuthority,
      status: p.status,
      open,
      enactable: open?.status === 'PROPOSED' && enactRefusal(open, today) === null,
      measures,
      letters: await lettersOfPermit(db, permitId),
      signatory,
      liftable: signatory && !open && p.status === 'SUSPENDED' && liftRefusal(p, measures[0] ?? null) === null,
      observationsDays: OBSERVATIONS_DAYS,
    };
  }

  /** The permit and its measures, for a measure's page. */
  async measurePage(
    establishmentId: string,
    permitId: string,
    agentId: string,
  ): Promise<{ permit: PermitForMeasure; panel: MeasuresPanel }> {
    const permit = await permitForMeasure(this.dataSource.manager, establishmentId, permitId, false);
    if (!permit) throw notFound();
    return { permit, panel: await this.panel(establishmentId, permitId, agentId) };
  }

  /** Proposes a suspension or a withdrawal (the holder may answer), or enacts it at once in urgency. */
  async propose(actor: Actor, establishmentId: string, permitId: string, input: ProposeInput): Promise<void> {
    const grounds = input.grounds.trim();
    if (grounds.length < MIN_GROUNDS_LENGTH)
      throw new DomainError('GROUNDS', 'Une suspension ou un retrait doit être motivé (10 caractères au moins).', 400);
    const justification = input.urgencyJustification?.trim() ?? '';
    if (input.urgent && justification.length < MIN_GROUNDS_LENGTH)
      throw new DomainError('URGENCY', 'Justifiez l’urgence (10 caractères au moins).', 400);
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const { p, signatory, today } = await this.lockForDecision(m, actor, establishmentId, permitId, now);
      if (input.kind === 'SUSPENSION' && input.suspendedUntil && input.suspendedUntil <= today)
        throw new DomainError('UNTIL', 'La fin de la suspension doit être une date future.', 400);
      if (p.status !== 'ACTIVE' && !(p.status === 'SUSPENDED' && input.kind === 'WITHDRAWAL'))
        throw new DomainError('STATUS', 'Ce permis n’est pas actif : cette mesure n’est pas possible.', 409);
      if (await openMeasure(m, permitId))
        throw new DomainError('OPEN', 'Une mesure est déjà en cours sur ce permis : décidez-la ou abandonnez-la d’abord.', 409);
      const letterInput = this.letterInput(p, input.kind, grounds, input.kind === 'SUSPENSION' ? input.suspendedUntil : null);
      if (input.urgent) {
        const measureId = await insertMeasure(m, {
          permitId,
          establishmentId,
          kind: input.kind,
          status: 'ENACTED',
          grounds,
          urgent: true,
          suspendedUntil: letterInput.suspendedUntil,
          observationsDue: null,
          magistrate: null,
          proposedBy: signatory.agentId,
          at: now,
          decided: true,
        });
        await this.enactIn(m, actor, p, measureId, letterInput, signatory, now, {
          urgent: true,
          urgencyJustification: justification,
          observationsReceived: false,
        });
        return;
      }
      const posted = p.familyAccountId === null;
      const due = observationsDue(today, observationsDays(!posted));
      const measureId = await insertMeasure(m, {
        permitId,
        establishmentId,
        kind: input.kind,
        status: 'PROPOSED',
        grounds,
        urgent: false,
        suspendedUntil: letterInput.suspendedUntil,
        observationsDue: due,
        magistrate: null,
        proposedBy: signatory.agentId,
        at: now,
        decided: false,
      });
      await recordLetter(m, {
        establishmentId,
        permitId,
        measureId,
        familyAccountId: p.familyAccountId,
        kind: 'INTENDED_MEASURE',
        title:
          input.kind === 'WITHDRAWAL' ? 'Retrait envisagé de votre permis de visite' : 'Suspension envisagée de votre permis de visite',
        addressee: this.visitor(p),
        author: signatory.label,
        body: {
          paragraphs: intendedMeasureParagraphs(letterInput, due, { suspended: p.status === 'SUSPENDED', posted }),
          recourse: false,
          reference: `Écrou ${p.ecrouNumber}`,
        },
        issuedAt: now,
      });
      await this.audit.record(
        {
          actor,
          action: 'PERMIT_MEASURE_PROPOSED',
          entityType: 'permit',
          entityId: permitId,
          establishmentId,
          after: { measure: measureId, kind: input.kind, grounds, suspendedUntil: letterInput.suspendedUntil, observationsDue: due },
        },
        m,
      );
      await this.tell(m, p, 'permit-measure-proposed', {
        withdrawal: input.kind === 'WITHDRAWAL',
        grounds,
        due: frenchDay(due),
        dueDay: due,
        answerUrl: `/permis/${permitId}/observations`,
      });
    });
  }

  /** Enacts the intended measure: after the delay, or once the holder's observations arrived. */
  async enact(actor: Actor, establishmentId: string, permitId: string, measureId: string): Promise<void> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const { p, signatory, today } = await this.lockForDecision(m, actor, establishmentId, permitId, now);
      const open = await this.openProposed(m, permitId, measureId);
      const refusal = enactRefusal(open, today);
      if (refusal) throw new DomainError('TOO_EARLY', refusal, 409);
      if (p.status === 'WITHDRAWN') throw new DomainError('STATUS', 'Ce permis est déjà retiré.', 409);
      await decideMeasure(m, measureId, 'ENACTED', signatory.agentId, now);
      const kind = open.kind === 'WITHDRAWAL' ? 'WITHDRAWAL' : 'SUSPENSION';
      await this.enactIn(m, actor, p, measureId, this.letterInput(p, kind, open.grounds, open.suspendedUntil), signatory, now, {
        urgent: false,
        observationsReceived: open.observationsAt !== null,
      });
    });
  }

  /** Gives up the intended measure: the permit stays as it is. */
  async abandon(actor: Actor, establishmentId: string, permitId: string, measureId: string): Promise<void> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      // Giving up an intended measure is always allowed, even once the magistrate became competent.
      const { p, signatory } = await this.lockForDecision(m, actor, establishmentId, permitId, now, true);
      await this.openProposed(m, permitId, measureId);
      await decideMeasure(m, measureId, 'ABANDONED', signatory.agentId, now);
      await this.audit.record(
        {
          actor,
          action: 'PERMIT_MEASURE_ABANDONED',
          entityType: 'permit',
          entityId: permitId,
          establishmentId,
          after: { measure: measureId },
        },
        m,
      );
      await this.tell(m, p, 'permit-measure-abandoned', {});
    });
  }

  /** Puts a magistrate's permit on hold and refers to the magistrate (R341-3 1°): a letter to print and send. */
  async refer(actor: Actor, establishmentId: string, permitId: string, input: ReferInput): Promise<void> {
    const grounds = input.grounds.trim();
    if (grounds.length < MIN_GROUNDS_LENGTH)
      throw new DomainError(
        'GROUNDS',
        'Indiquez les circonstances exceptionnelles qui justifient le sursis (10 caractères au moins).',
        400,
      );
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const { p, signatory } = await this.lockForDecision(m, actor, establishmentId, permitId, now, true);
      const pending = await openMeasure(m, permitId);
      if (pending?.status === 'PROPOSED')
        throw new DomainError(
          'OPEN',
          `${pending.kind === 'WITHDRAWAL' ? 'Un retrait envisagé' : 'Une suspension envisagée'} est en cours sur ce permis : abandonnez-la d’abord, puis surseoir et en référer au magistrat.`,
          409,
        );
      if (competentAuthority(p) !== 'MAGISTRATE')
        throw new DomainError('HEAD_COMPETENT', 'Ce permis relève du chef d’établissement : envisagez une suspension ou un retrait.', 409);
      if (p.status !== 'ACTIVE') throw new DomainError('STATUS', 'Ce permis n’est pas actif : le sursis n’est pas possible.', 409);
      const magistrate = input.magistrate?.trim() || p.issuingAuthority?.trim() || '';
      if (!magistrate) throw new DomainError('MAGISTRATE', 'Indiquez le magistrat saisi et sa juridiction.', 400);
      const measureId = await insertMeasure(m, {
        permitId,
        establishmentId,
        kind: 'REFERRAL',
        status: 'REFERRED',
        grounds,
        urgent: false,
        suspendedUntil: null,
        observationsDue: null,
        magistrate,
        proposedBy: signatory.agentId,
        at: now,
        decided: false,
      });
      await setPermitStatus(
        m,
        permitId,
        'ON_HOLD',
        `Visites suspendues dans l’attente de la décision du magistrat (${magistrate}) : ${grounds}`,
      );
      await recordLetter(m, {
        establishmentId,
        permitId, // addressed to the magistrate: never given to the family (no account, kept out of giveLettersToFamily)
        measureId,
        familyAccountId: null,
        kind: 'REFERRAL',
        title: 'Sursis à l’exécution d’un permis de visite — saisine du magistrat',
        addressee: magistrate,
        author: signatory.label,
        body: {
          reference: `Écrou ${p.ecrouNumber}`,
          recourse: false,
          paragraphs: [
            `Madame, Monsieur le magistrat, en application de l’article R. 341-3 (1°) du code pénitentiaire, j’ai décidé de surseoir à l’exécution du permis de visite que vous avez délivré à ${this.visitor(p)} pour rencontrer ${p.detaineeName} (écrou ${p.ecrouNumber}), et je vous en réfère.`,
            `Circonstances exceptionnelles : ${grounds}`,
            'Les visites sont suspendues jusqu’à votre décision. Je vous remercie de me faire connaître si vous maintenez, suspendez ou retirez ce permis.',
          ],
        },
        issuedAt: now,
      });
      await this.audit.record(
        {
          actor,
          action: 'PERMIT_REFERRED',
          entityType: 'permit',
          entityId: permitId,
          establishmentId,
          before: { status: p.status },
          after: { status: 'ON_HOLD', measure: measureId, magistrate, grounds },
        },
        m,
      );
      await this.tell(m, p, 'permit-on-hold', { magistrate });
    });
  }

  /** Records the magistrate's answer to a referral: the permit maintained, suspended or withdrawn. */
  async answer(actor: Actor, establishmentId: string, permitId: string, measureId: string, input: AnswerInput): Promise<void> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const { p, signatory } = await this.lockForDecision(m, actor, establishmentId, permitId, now, true);
      const open = await openMeasure(m, permitId);
      if (!open || open.id !== measureId || open.status !== 'REFERRED')
        throw new DomainError('NOT_OPEN', 'Aucune saisine du magistrat n’attend de réponse sur ce permis.', 409);
      const note = input.note?.trim() || null;
      await recordMagistrateAnswer(m, measureId, input.answer, note, signatory.agentId, now);
      const status = input.answer === 'MAINTAINED' ? 'ACTIVE' : input.answer;
      const reason =
        input.answer === 'MAINTAINED'
          ? null
          : `Décision du magistrat (${open.magistrate ?? 'magistrat chargé du dossier'})${note ? ` : ${note}` : ''}`;
      await setPermitStatus(m, permitId, status, reason);
      await this.audit.record(
        {
          actor,
          action: 'PERMIT_MAGISTRATE_ANSWER',
          entityType: 'permit',
          entityId: permitId,
          establishmentId,
          before: { status: p.status },
          after: { status, measure: measureId, answer: input.answer, note },
        },
        m,
      );
      await this.tell(m, p, 'permit-magistrate-answer', { status, magistrate: open.magistrate ?? '', note: note ?? '' });
    });
  }

  /** The head reviewed a magistrate's permit after the conviction (R341-5): the head is competent from now on. */
  async markReviewed(actor: Actor, establishmentId: string, permitId: string): Promise<void> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const { p } = await this.lockForDecision(m, actor, establishmentId, permitId, now, true);
      if (!p.headReviewDue) throw new DomainError('NOT_DUE', 'Ce permis n’attend pas de revue.', 409);
      if (p.legalStatus !== 'CONDAMNE')
        throw new DomainError(
          'NOT_CONDAMNE',
          'La personne détenue n’est pas (ou plus seulement) condamnée : le magistrat reste compétent.',
          409,
        );
      await setHeadReviewDue(m, permitId, false);
      await this.audit.record(
        {
          actor,
          action: 'PERMIT_HEAD_REVIEWED',
          entityType: 'permit',
          entityId: permitId,
          establishmentId,
          before: { headReviewDue: true },
          after: { headReviewDue: false },
        },
        m,
      );
    });
  }

  /**
   * A suspension enacted until a date ends by itself the day after: the permit is active again, the
   * family told, audited (the periodic job; idempotent). Returns how many.
   */
  async endSuspensions(): Promise<number> {
    const now = this.clock.now();
    let ended = 0;
    for (const s of await suspensionsEnded(this.dataSource.manager, now)) {
      await this.dataSource.transaction(async (m) => {
        const p = await permitForMeasure(m, s.establishmentId, s.id, true);
        if (!p || p.status !== 'SUSPENDED') return;
        await setPermitStatus(m, p.id, 'ACTIVE', null);
        await this.audit.record(
          {
            actor: { type: 'SYSTEM', label: `fin de la suspension au ${frenchDay(s.until)}` },
            action: 'PERMIT_SUSPENSION_ENDED',
            entityType: 'permit',
            entityId: p.id,
            establishmentId: p.establishmentId,
            before: { status: 'SUSPENDED' },
            after: { status: 'ACTIVE', suspendedUntil: s.until },
          },
          m,
        );
        await this.tell(m, p, 'permit-status-changed', { status: 'ACTIVE', reason: '' });
        ended++;
      });
    }
    return ended;
  }

  /** The family's page: its own permit with an intended measure it may answer. */
  async observationsPage(familyId: string, permitId: string) {
    const db = this.dataSource.manager;
    const p = await permitOfFamilyForMeasure(db, familyId, permitId, false);
    const open = p ? await openMeasure(db, permitId) : null;
    if (!p || !open || open.status !== 'PROPOSED') throw notFound();
    const letter = await letterOfMeasure(db, open.id, 'INTENDED_MEASURE');
    return {
      permit: p,
      measure: open,
      letterId: letter?.id ?? null,
      open: observationsOpen(open, establishmentDay(this.clock.now(), p.timeZone)),
    };
  }

  /** The holder's observations on the intended measure, until the due day included. */
  async submitObservations(family: Actor, permitId: string, text: string): Promise<void> {
    const observations = text.trim();
    if (!observations) throw new DomainError('EMPTY', tr('permits:errors.observationsRequired'), 400);
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const p = await permitOfFamilyForMeasure(m, family.id ?? '', permitId, true);
      const open = p ? await openMeasure(m, permitId) : null;
      if (!p || !open || open.status !== 'PROPOSED') throw notFound();
      if (!observationsOpen(open, establishmentDay(now, p.timeZone)))
        throw new DomainError(
          'CLOSED',
          tr(open.observationsAt ? 'permits:errors.observationsReceived' : 'permits:errors.observationsClosed'),
          409,
        );
      await saveObservations(m, open.id, observations, now);
      await this.audit.record(
        {
          actor: family,
          action: 'PERMIT_MEASURE_OBSERVATIONS',
          entityType: 'permit',
          entityId: permitId,
          establishmentId: p.establishmentId,
          after: { measure: open.id, length: observations.length },
        },
        m,
      );
    });
  }

  private async lockForDecision(
    m: EntityManager,
    actor: Actor,
    establishmentId: string,
    permitId: string,
    now: Date,
    referral = false,
  ): Promise<{ p: PermitForMeasure; signatory: Signatory; today: string }> {
    const p = await permitForMeasure(m, establishmentId, permitId, true);
    if (!p) throw notFound();
    const today = establishmentDay(now, p.timeZone);
    const signatory = actor.id ? await signatoryFor(m, establishmentId, actor.id, today) : null;
    if (!signatory) throw notSignatory();
    if (!referral && competentAuthority(p) === 'MAGISTRATE') throw magistrateCompetent();
    return { p, signatory, today };
  }

  private async openProposed(m: EntityManager, permitId: string, measureId: string): Promise<MeasureRow> {
    const open = await openMeasure(m, permitId);
    if (!open || open.id !== measureId || open.status !== 'PROPOSED')
      throw new DomainError('NOT_OPEN', 'Cette mesure n’est plus en attente.', 409);
    return open;
  }

  private async enactIn(
    m: EntityManager,
    actor: Actor,
    p: PermitForMeasure,
    measureId: string,
    l: MeasureLetterInput,
    signatory: Signatory,
    now: Date,
    how: { urgent: boolean; urgencyJustification?: string; observationsReceived: boolean },
  ): Promise<void> {
    const status = l.kind === 'WITHDRAWAL' ? 'WITHDRAWN' : 'SUSPENDED';
    const reason = how.urgent ? `${l.grounds} (mesure prise en urgence)` : l.grounds;
    await setPermitStatus(m, p.id, status, reason);
    const letterId = await recordLetter(m, {
      establishmentId: p.establishmentId,
      permitId: p.id,
      measureId,
      familyAccountId: p.familyAccountId,
      kind: l.kind,
      title: l.kind === 'WITHDRAWAL' ? 'Retrait de votre permis de visite' : 'Suspension de votre permis de visite',
      addressee: this.visitor(p),
      author: signatory.label,
      body: { paragraphs: decisionParagraphs(l, how), recourse: true, reference: `Écrou ${p.ecrouNumber}` },
      issuedAt: now,
    });
    await this.audit.record(
      {
        actor,
        action: `PERMIT_${status}`,
        entityType: 'permit',
        entityId: p.id,
        establishmentId: p.establishmentId,
        before: { status: p.status },
        after: {
          status,
          reason,
          measure: measureId,
          urgent: how.urgent,
          urgencyJustification: how.urgencyJustification,
          suspendedUntil: l.suspendedUntil ?? undefined,
          signedBy: signatory.label,
        },
      },
      m,
    );
    await this.tell(m, p, 'permit-status-changed', {
      status,
      reason,
      signedBy: signatory.label,
      letterUrl: p.familyAccountId ? `/courriers/${letterId}` : null,
      recourse: recourseParagraphs(await departmentOf(m, p.establishmentId)),
    });
  }

  private letterInput(p: PermitForMeasure, kind: 'SUSPENSION' | 'WITHDRAWAL', grounds: string, until: string | null): MeasureLetterInput {
    return { kind, visitor: this.visitor(p), detainee: `${p.detaineeName} (écrou ${p.ecrouNumber})`, grounds, suspendedUntil: until };
  }

  private visitor(p: PermitForMeasure): string {
    return `${p.visitorGivenName} ${p.visitorFamilyName.toUpperCase()}`;
  }

  private async tell(m: EntityManager, p: PermitForMeasure, template: string, extra: Record<string, unknown>): Promise<void> {
    if (!p.familyEmail) return;
    await this.notifications.enqueue(
      m,
      {
        channel: 'EMAIL',
        to: p.familyEmail,
        template,
        category: 'TRANSACTIONAL',
        data: { establishmentName: p.establishmentName, visitor: `${p.visitorGivenName} ${p.visitorFamilyName}`, ...extra },
        entity: { type: 'permit', id: p.id },
        establishmentId: p.establishmentId,
      },
      this.clock.now(),
    );
  }
}

/**
 * A detainee became condamné (population import): the magistrate's permits are flagged for the
 * head's review (R341-5), in the import's transaction, each audited. Returns how many.
 */
export async function flagForHeadReview(
  m: EntityManager,
  audit: AuditService,
  actor: Actor,
  establishmentId: string,
  detaineeId: string,
): Promise<number> {
  const flagged = await flagMagistratePermits(m, detaineeId);
  for (const f of flagged) {
    await audit.record(
      { actor, action: 'PERMIT_HEAD_REVIEW_DUE', entityType: 'permit', entityId: f.id, establishmentId, after: { headReviewDue: true } },
      m,
    );
  }
  return flagged.length;
}
