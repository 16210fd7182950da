import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { NotificationsService } from '../notifications/notifications.service';
import { departmentOf } from './decisions.queries';
import { recordLetter, recourseParagraphs } from './letters';
import { maxVisitsRefusal, restrictions } from './permit-conditions.rules';
import { permitForMeasure } from './permit-measures.queries';
import { competentAuthority, establishmentDay, MIN_GROUNDS_LENGTH } from './permit-measures.rules';
import { conditionsText, limitsText } from './permit-validity';
import { termsInLanguages } from './family-texts';
import { permitOfEstablishment, type PermitTerms, setPermitTerms } from './permit.queries';
import { signatoryFor } from './signatory';

const permitNotFound = () => new DomainError('NOT_FOUND', 'Permis introuvable.', 404);

/**
 * The limits and conditions of an existing permit (R341-1). The change is never a way around the law:
 * - on a permit the magistrate is competent for (L341-5, R341-5), it is only the recording of the
 *   magistrate's prescription, whose decision the agent names (audited PERMIT_CONDITIONS_PRESCRIBED);
 * - on a head's permit, a restriction (fewer or new limited visits, a room imposed, fewer days, narrower
 *   hours, a new condition) is a decision against the holder: signed by the head or a delegate in force,
 *   with a decision letter carrying the recourse routes; a loosening stays open to the greffe.
 * The bookings and the door check read the terms at once; the family is told; audited.
 */
@Injectable()
export class PermitConditionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  /** Who decides the permit's conditions: the head, or the magistrate in charge (whose prescription is recorded). */
  async authority(establishmentId: string, permitId: string): Promise<'HEAD' | 'MAGISTRATE'> {
    const p = await permitForMeasure(this.dataSource.manager, establishmentId, permitId, false);
    if (!p) throw permitNotFound();
    return competentAuthority(p);
  }

  async change(
    actor: Actor,
    establishmentId: string,
    permitId: string,
    terms: PermitTerms,
    magistrateDecision: string | null = null,
  ): Promise<void> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const locked = await permitForMeasure(m, establishmentId, permitId, true);
      const p = locked && (await permitOfEstablishment(m, establishmentId, permitId));
      if (!locked || !p) throw permitNotFound();
      if (p.status === 'WITHDRAWN') throw new DomainError('WITHDRAWN', 'Ce permis est retiré : il ne peut plus changer.', 409);
      const before: PermitTerms = {
        maxVisits: p.maxVisits,
        roomCondition: p.roomCondition,
        allowedDays: p.allowedDays,
        allowedFrom: p.allowedFrom,
        allowedTo: p.allowedTo,
        conditionsNote: p.conditionsNote,
      };
      if (JSON.stringify(before) === JSON.stringify(terms))
        throw new DomainError('UNCHANGED', 'Les limites et les conditions n’ont pas changé.', 409);
      const tooFew = terms.maxVisits !== before.maxVisits ? maxVisitsRefusal(terms.maxVisits, p.visitsUsed) : null;
      if (tooFew) throw new DomainError('MAX_VISITS', tooFew, 400);
      const restricted = restrictions(before, terms);
      const authority = competentAuthority(locked);
      const decision = magistrateDecision?.trim() ?? '';
      let signedBy: string | null = null;
      let letterId: string | null = null;
      if (authority === 'MAGISTRATE') {
        if (decision.length < MIN_GROUNDS_LENGTH)
          throw new DomainError(
            'MAGISTRATE_DECISION',
            'Ce permis relève du magistrat chargé du dossier : ses conditions ne changent que sur sa décision. ' +
              'Indiquez la décision du magistrat (magistrat, juridiction, date).',
            400,
          );
      } else if (restricted.length) {
        const signatory = actor.id ? await signatoryFor(m, establishmentId, actor.id, establishmentDay(now, locked.timeZone)) : null;
        if (!signatory)
          throw new DomainError(
            'NOT_SIGNATORY',
            'Restreindre un permis est une décision : seul le chef d’établissement, ou un agent ayant une délégation de signature en cours, peut la prendre.',
            403,
          );
        signedBy = signatory.label;
        const visitor = `${locked.visitorGivenName} ${locked.visitorFamilyName.toUpperCase()}`;
        // No letter kind for a change of conditions: a re-examination of the permit's terms is the closest.
        letterId = await recordLetter(m, {
          establishmentId,
          permitId,
          measureId: null,
          familyAccountId: locked.familyAccountId,
          kind: 'CONDITIONS',
          title: 'Nouvelles limites et conditions de votre permis de visite',
          addressee: visitor,
          author: signatory.label,
          body: {
            reference: `Écrou ${locked.ecrouNumber}`,
            recourse: true,
            paragraphs: [
              `Madame, Monsieur, les limites et les conditions du permis de visite de ${visitor} auprès de ${locked.detaineeName} (écrou ${locked.ecrouNumber}) sont modifiées (article R. 341-1 du code pénitentiaire).`,
              `Validité : ${limitsText({ validTo: p.validTo, maxVisits: terms.maxVisits, visitsUsed: p.visitsUsed })}.`,
              `Conditions : ${conditionsText(terms).join(' ; ') || 'aucune condition de lieu ni d’horaire'}.`,
            ],
          },
          issuedAt: now,
        });
      }
      await setPermitTerms(m, permitId, terms);
      if (locked.familyEmail) {
        await this.notifications.enqueue(
          m,
          {
            channel: 'EMAIL',
            to: locked.familyEmail,
            template: 'permit-conditions-changed',
            category: 'TRANSACTIONAL',
            data: {
              establishmentName: locked.establishmentName,
              visitor: `${locked.visitorGivenName} ${locked.visitorFamilyName}`,
              limits: limitsText({ validTo: p.validTo, maxVisits: terms.maxVisits, visitsUsed: p.visitsUsed }),
              conditions: conditionsText(terms),
              // The other languages' words, for a family that reads one of them (the note stays as written).
              termsIn: termsInLanguages({ validTo: p.validTo, maxVisits: terms.maxVisits, visitsUsed: p.visitsUsed }, terms),
              magistrateDecision: authority === 'MAGISTRATE' ? decision : null,
              signedBy,
              letterUrl: letterId && locked.familyAccountId ? `/courriers/${letterId}` : null,
              recourse: signedBy ? recourseParagraphs(await departmentOf(m, establishmentId)) : [],
            },
            entity: { type: 'permit', id: permitId },
            establishmentId,
          },
          now,
        );
      }
      await this.audit.record(
        {
          actor,
          action: authority === 'MAGISTRATE' ? 'PERMIT_CONDITIONS_PRESCRIBED' : 'PERMIT_CONDITIONS_CHANGED',
          entityType: 'permit',
          entityId: permitId,
          establishmentId,
          before: { ...before },
          after: {
            ...terms,
            restrictions: restricted.length ? restricted : undefined,
            magistrateDecision: authority === 'MAGISTRATE' ? decision : undefined,
            signedBy: signedBy ?? undefined,
            letter: letterId ?? undefined,
          },
        },
        m,
      );
    });
  }
}
