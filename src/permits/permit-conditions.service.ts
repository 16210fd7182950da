import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { NotificationsService } from '../notifications/notifications.service';
import { conditionsText, limitsText } from './permit-validity';
import { lockPermit, permitOfEstablishment, type PermitTerms, setPermitTerms } from './permit.queries';

const permitNotFound = () => new DomainError('NOT_FOUND', 'Permis introuvable.', 404);

/**
 * The limits and conditions of an existing permit (R341-1), changed by the head of establishment or
 * the greffe — for example the separation room a magistrate prescribes for a prévenu's visits. The
 * bookings and the door check read them at once; the family is told; audited PERMIT_CONDITIONS_CHANGED.
 */
@Injectable()
export class PermitConditionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  async change(actor: Actor, establishmentId: string, permitId: string, terms: PermitTerms): Promise<void> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const locked = await lockPermit(m, establishmentId, permitId);
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
          action: 'PERMIT_CONDITIONS_CHANGED',
          entityType: 'permit',
          entityId: permitId,
          establishmentId,
          before: { ...before },
          after: { ...terms },
        },
        m,
      );
    });
  }
}
