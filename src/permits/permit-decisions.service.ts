import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { NotificationsService } from '../notifications/notifications.service';
import {
  departmentOf,
  endNoContactOrder,
  eventRecorded,
  insertNoContactOrder,
  markReexaminedGranted,
  NoContactOrderRow,
  ordersInForce,
  setDecisionAuthor,
} from './decisions.queries';
import { LetterRow, lettersAbout, letterPdf, recordLetter, recourseParagraphs } from './letters';
import { currentPhotoId } from './permit-document.queries';
import type { RefusalGround } from './permit-request.entity';
import {
  InstructedRequestRow,
  recordDecision,
  recordRequestEvent,
  requestOfEstablishment,
  requestOfFamily,
  type RequestRow,
} from './permit-request.queries';
import { REASONS_ASKED, reasonsRequest } from './implicit-rejection';
import { insertPermit } from './permit.queries';
import { MIN_MOTIVATION_LENGTH, OPEN_STATUSES, type Relationship } from './permit.rules';
import { samePerson } from './person-match';
import { groundRefusal, groundsFor, groundText, REFUSAL_GROUNDS } from './refusal-grounds';
import { signatoryFor, type Signatory } from './signatory';
import { tellRequester } from './request-notice';
import { establishmentDay } from './permit-measures.rules';
import { tr } from '../common/translate';

const DATE = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: 'numeric', month: 'long', year: 'numeric' });

const notFound = () => new DomainError('NOT_FOUND', tr('permits:errors.requestNotFound'), 404);
const decided = () => new DomainError('DECIDED', 'Cette demande est déjà décidée.', 409);
const notSignatory = () =>
  new DomainError(
    'NOT_SIGNATORY',
    'Seul le chef d’établissement, ou un agent titulaire d’une délégation de signature en vigueur, peut décider.',
    403,
  );
const noContact = () =>
  new DomainError(
    'NO_CONTACT_ORDER',
    'Une interdiction d’entrer en relation avec ce visiteur est en vigueur : le permis ne peut pas être accordé. ' +
      'Refusez-le avec le motif « interdiction d’entrer en relation ».',
    409,
  );

/** L341-5: a prévenu's permit (MIXTE: prévenu in at least one case) is the magistrate's decision, grant or refusal. */
export const MAGISTRATE_COMPETENT =
  'La personne détenue est prévenue (au moins dans une affaire) : le permis relève du magistrat chargé du dossier.';
const magistrateCompetent = () => new DomainError('MAGISTRATE_COMPETENT', MAGISTRATE_COMPETENT, 409);

export interface NewNoContactOrderInput {
  personGivenName: string;
  personFamilyName: string;
  personBirthdate: string | null;
  source: 'JUDICIAL_RECORD' | 'DECLARED';
  authority: string;
  validUntil: string | null;
}

/** What the instruction page shows about the decision: who may decide, the grounds, the no-contact orders, the letters. */
export interface DecisionContext {
  signatory: Signatory | null;
  grounds: { code: RefusalGround; label: string; source: string }[];
  orders: (NoContactOrderRow & { matches: boolean })[];
  blocked: boolean;
  /** The detainee is not (only) condamné: neither the head nor a delegate may grant, refuse or re-examine. */
  magistrate: boolean;
  letters: LetterRow[];
  /** A refusal letter was recorded (older refusals have none). */
  refusalLetter: boolean;
}

/**
 * The decision on a permit request (CRPA L212-1, code pénitentiaire): taken by the head of
 * establishment or an agent holding a signature delegation in force, whose name and quality are
 * printed; a refusal names its legal ground (family members: good order, security, crime prevention;
 * others also rehabilitation; the victim; a no-contact order) and is motivated in fact; a no-contact
 * order in force makes a grant impossible. A refusal is a recorded letter with the recourse routes;
 * a refused or implicitly rejected request can be re-examined (recours gracieux) and granted.
 */
@Injectable()
export class PermitDecisionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  async context(establishmentId: string, r: InstructedRequestRow, agentId: string): Promise<DecisionContext> {
    const db = this.dataSource.manager;
    const now = this.clock.now();
    const orders = (await ordersInForce(db, r.detaineeId, establishmentDay(now, r.timeZone))).map((o) => ({
      ...o,
      matches: this.matches(o, r),
    }));
    const relationship: Relationship = r.relationship ?? 'OTHER';
    const letters = await lettersAbout(db, { requestId: r.id });
    return {
      signatory: await signatoryFor(db, establishmentId, agentId, establishmentDay(now, r.timeZone)),
      grounds: groundsFor(relationship).map((code) => ({ code, ...REFUSAL_GROUNDS[code] })),
      orders,
      blocked: orders.some((o) => o.matches),
      magistrate: r.detaineeLegalStatus !== 'CONDAMNE',
      letters,
      refusalLetter: letters.some((l) => l.kind === 'REFUSAL'),
    };
  }

  private matches(o: NoContactOrderRow, r: InstructedRequestRow): boolean {
    return samePerson(
      { givenName: o.personGivenName, familyName: o.personFamilyName, birthdate: o.personBirthdate },
      { givenName: r.visitorGivenName ?? '', familyName: r.visitorFamilyName ?? '', birthdate: r.visitorBirthdate },
    );
  }

  private async request(m: EntityManager, establishmentId: string, id: string): Promise<InstructedRequestRow> {
    const r = await requestOfEstablishment(m, establishmentId, id, true);
    if (!r) throw notFound();
    return r;
  }

  private async signatory(m: EntityManager, r: InstructedRequestRow, actor: Actor, now: Date): Promise<Signatory> {
    const s = actor.id ? await signatoryFor(m, r.establishmentId, actor.id, establishmentDay(now, r.timeZone)) : null;
    if (!s) throw notSignatory();
    return s;
  }

  private async blocked(m: EntityManager, r: InstructedRequestRow, now: Date): Promise<boolean> {
    return (await ordersInForce(m, r.detaineeId, establishmentDay(now, r.timeZone))).some((o) => this.matches(o, r));
  }

  /** The decision. A refusal has a legal ground and a motivation in fact; a grant creates the permit (its id is returned). */
  async decide(
    actor: Actor,
    establishmentId: string,
    id: string,
    decision: 'GRANT' | 'REFUSE',
    motivation: string,
    ground: RefusalGround | null,
  ): Promise<string | null> {
    const text = motivation.trim();
    if (decision === 'REFUSE' && text.length < MIN_MOTIVATION_LENGTH) {
      throw new DomainError(
        'MOTIVATION_REQUIRED',
        `Un refus doit être motivé en fait et en droit (${MIN_MOTIVATION_LENGTH} caractères au moins).`,
      );
    }
    const now = this.clock.now();
    return this.dataSource.transaction(async (m) => {
      const r = await this.request(m, establishmentId, id);
      if (!OPEN_STATUSES.includes(r.status)) throw decided();
      if (r.detaineeLegalStatus !== 'CONDAMNE') throw magistrateCompetent();
      const signatory = await this.signatory(m, r, actor, now);
      if (decision === 'GRANT') {
        if (await this.blocked(m, r, now)) throw noContact();
        await recordDecision(m, id, { status: 'GRANTED', at: now, by: actor.id!, motivation: text || null });
        await setDecisionAuthor(m, id, null, signatory.label);
        await recordRequestEvent(m, { requestId: id, at: now, kind: 'STATUS', status: 'GRANTED', actor });
        const permitId = await this.issuePermit(m, actor, r, now);
        await tellRequester(this.notifications, m, r, 'permit-request-granted', {}, now);
        await this.audit.record(
          {
            actor,
            action: 'PERMIT_REQUEST_GRANTED',
            entityType: 'permit_request',
            entityId: id,
            establishmentId,
            after: { status: 'GRANTED', decidedAs: signatory.label },
          },
          m,
        );
        return permitId;
      }
      const wrong = groundRefusal(ground, r.relationship ?? 'OTHER');
      if (wrong || !ground) throw new DomainError('GROUND', wrong ?? 'Choisissez le motif légal du refus.');
      await recordDecision(m, id, { status: 'REFUSED', at: now, by: actor.id!, motivation: text });
      await setDecisionAuthor(m, id, ground, signatory.label);
      await recordRequestEvent(m, { requestId: id, at: now, kind: 'STATUS', status: 'REFUSED', actor });
      const department = await departmentOf(m, establishmentId);
      const letterId = await recordLetter(m, {
        establishmentId,
        requestId: id,
        familyAccountId: r.familyAccountId,
        kind: 'REFUSAL',
        title: 'Refus de permis de visite',
        addressee: r.familyName,
        author: signatory.label,
        issuedAt: now,
        body: {
          reference: r.reference ?? undefined,
          recourse: true,
          paragraphs: [
            `Par une demande déposée le ${r.submittedAt ? DATE.format(new Date(r.submittedAt)) : ''}, vous avez sollicité un permis de visite ` +
              `pour ${r.visitorGivenName} ${r.visitorFamilyName}, afin de rendre visite à ${r.detaineeName}, détenu(e) à ${department.name}.`,
            'J’ai décidé de refuser ce permis de visite.',
            `Motif légal : ${groundText(ground)}`,
            `Motifs de fait : ${text}`,
          ],
        },
      });
      await tellRequester(
        this.notifications,
        m,
        r,
        'permit-request-refused',
        {
          motivation: text,
          ground: REFUSAL_GROUNDS[ground].label,
          groundCode: ground,
          decidedAs: signatory.label,
          recourse: recourseParagraphs(department),
          letterUrl: `/courriers/${letterId}`,
        },
        now,
      );
      await this.audit.record(
        {
          actor,
          action: 'PERMIT_REQUEST_REFUSED',
          entityType: 'permit_request',
          entityId: id,
          establishmentId,
          after: { status: 'REFUSED', ground, motivation: text, decidedAs: signatory.label, letter: letterId },
        },
        m,
      );
      return null;
    });
  }

  /** Re-examination after a refusal or an implicit rejection (recours gracieux): the permit is granted. */
  async reexamine(actor: Actor, establishmentId: string, id: string, motivation: string): Promise<string> {
    const text = motivation.trim();
    const now = this.clock.now();
    return this.dataSource.transaction(async (m) => {
      const r = await this.request(m, establishmentId, id);
      if (r.status !== 'REFUSED' && r.status !== 'IMPLICITLY_REJECTED')
        throw new DomainError('NOT_REJECTED', 'Seule une demande refusée ou rejetée implicitement peut être réexaminée.', 409);
      if (r.detaineeLegalStatus !== 'CONDAMNE') throw magistrateCompetent();
      const signatory = await this.signatory(m, r, actor, now);
      if (await this.blocked(m, r, now)) throw noContact();
      const before = r.status;
      await markReexaminedGranted(m, id, { at: now, by: actor.id!, decidedAs: signatory.label, motivation: text || null });
      await recordRequestEvent(m, {
        requestId: id,
        at: now,
        kind: 'MESSAGE',
        message: 'Demande réexaminée (recours gracieux) : le permis est accordé.',
        actor,
      });
      await recordRequestEvent(m, { requestId: id, at: now, kind: 'STATUS', status: 'GRANTED', actor });
      const permitId = await this.issuePermit(m, actor, r, now);
      const letterId = await recordLetter(m, {
        establishmentId,
        requestId: id,
        permitId,
        familyAccountId: r.familyAccountId,
        kind: 'REEXAMINATION',
        title: 'Réexamen de votre demande de permis de visite : permis accordé',
        addressee: r.familyName,
        author: signatory.label,
        issuedAt: now,
        body: {
          reference: r.reference ?? undefined,
          recourse: false,
          paragraphs: [
            `Votre demande de permis de visite pour ${r.visitorGivenName} ${r.visitorFamilyName}, afin de rendre visite à ${r.detaineeName}, ` +
              `avait été ${before === 'REFUSED' ? 'refusée' : 'rejetée implicitement'}.`,
            'Après réexamen, j’ai décidé de vous accorder ce permis de visite. Il est visible sur P2V.',
            ...(text ? [text] : []),
          ],
        },
      });
      await tellRequester(this.notifications, m, r, 'permit-request-granted', { reexamined: true }, now);
      await this.audit.record(
        {
          actor,
          action: 'PERMIT_REQUEST_REEXAMINED',
          entityType: 'permit_request',
          entityId: id,
          establishmentId,
          before: { status: before },
          after: { status: 'GRANTED', decidedAs: signatory.label, permit: permitId, letter: letterId },
        },
        m,
      );
      return permitId;
    });
  }

  /** Whether the family may ask for the reasons of its implicit rejection (CRPA L232-4). */
  async reasons(r: RequestRow): Promise<ReturnType<typeof reasonsRequest>> {
    return reasonsRequest(r, this.clock.now(), await eventRecorded(this.dataSource.manager, r.id, REASONS_ASKED));
  }

  /** The family asks for the reasons of its implicit rejection, within 2 months: recorded in the history the staff read. */
  async askReasons(family: Actor & { id: string }, id: string): Promise<void> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const r = await requestOfFamily(m, family.id, id, true);
      if (!r) throw notFound();
      if (!reasonsRequest(r, now, await eventRecorded(m, id, REASONS_ASKED)).possible)
        throw new DomainError('REASONS_CLOSED', tr('permits:errors.reasonsClosed'), 409);
      await recordRequestEvent(m, { requestId: id, at: now, kind: 'MESSAGE', message: REASONS_ASKED, actor: family });
      await this.audit.record(
        {
          actor: family,
          action: 'PERMIT_REQUEST_REASONS_ASKED',
          entityType: 'permit_request',
          entityId: id,
          establishmentId: r.establishmentId,
        },
        m,
      );
    });
  }

  /** The recorded refusal letter of a refused request, as a PDF (404 for any other). */
  async refusalLetter(establishmentId: string, id: string): Promise<{ reference: string; pdf: Buffer }> {
    const db = this.dataSource.manager;
    const r = await requestOfEstablishment(db, establishmentId, id);
    if (!r || r.status !== 'REFUSED' || !r.reference) throw notFound();
    const letter = (await lettersAbout(db, { requestId: id })).filter((l) => l.kind === 'REFUSAL').pop();
    if (!letter) throw notFound();
    return { reference: r.reference, pdf: await letterPdf(letter) };
  }

  /** Records a no-contact order on the request's detainee (staff of the establishment). */
  async recordOrder(actor: Actor, establishmentId: string, requestId: string, o: NewNoContactOrderInput): Promise<void> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const r = await this.request(m, establishmentId, requestId);
      const orderId = await insertNoContactOrder(m, { ...o, detaineeId: r.detaineeId, recordedBy: actor.id!, recordedAt: now });
      await this.audit.record(
        {
          actor,
          action: 'NO_CONTACT_ORDER_RECORDED',
          entityType: 'no_contact_order',
          entityId: orderId,
          establishmentId,
          after: { detainee: r.detaineeId, person: `${o.personGivenName} ${o.personFamilyName}`, source: o.source, authority: o.authority },
        },
        m,
      );
    });
  }

  /** Ends a no-contact order of the request's detainee. */
  async endOrder(actor: Actor, establishmentId: string, requestId: string, orderId: string): Promise<void> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const r = await this.request(m, establishmentId, requestId);
      if (!(await endNoContactOrder(m, r.detaineeId, orderId, now))) throw new DomainError('NOT_FOUND', 'Interdiction introuvable.', 404);
      await this.audit.record(
        { actor, action: 'NO_CONTACT_ORDER_ENDED', entityType: 'no_contact_order', entityId: orderId, establishmentId },
        m,
      );
    });
  }

  private async issuePermit(m: EntityManager, actor: Actor, r: InstructedRequestRow, now: Date): Promise<string> {
    const permitId = await insertPermit(m, {
      requestId: r.id,
      establishmentId: r.establishmentId,
      detaineeId: r.detaineeId,
      familyAccountId: r.familyAccountId,
      visitorGivenName: r.visitorGivenName!,
      visitorFamilyName: r.visitorFamilyName!,
      visitorBirthdate: r.visitorBirthdate!,
      relationship: r.relationship!,
      photoDocumentId: await currentPhotoId(m, r.id),
      validFrom: establishmentDay(now, r.timeZone),
      validTo: null,
      origin: 'ONLINE',
    });
    await this.audit.record(
      {
        actor,
        action: 'PERMIT_ISSUED',
        entityType: 'permit',
        entityId: permitId,
        establishmentId: r.establishmentId,
        after: { request: r.reference, visitor: `${r.visitorGivenName} ${r.visitorFamilyName}` },
      },
      m,
    );
    return permitId;
  }
}
