import type { EntityManager } from 'typeorm';
import type { NotificationsService } from '../notifications/notifications.service';
import type { InstructedRequestRow } from './permit-request.queries';

/**
 * E-mails the family of a sent request (if it gave an address), in the caller's transaction: the request's reference, the
 * establishment, the visitor and the page to follow it.
 */
export async function tellRequester(
  notifications: NotificationsService,
  m: EntityManager,
  r: InstructedRequestRow,
  template: string,
  extra: Record<string, unknown>,
  now: Date,
): Promise<void> {
  if (!r.familyEmail) return;
  await notifications.enqueue(
    m,
    {
      channel: 'EMAIL',
      to: r.familyEmail,
      template,
      category: 'TRANSACTIONAL',
      data: {
        reference: r.reference,
        establishmentName: r.establishmentName,
        visitor: `${r.visitorGivenName} ${r.visitorFamilyName}`,
        followUrl: `/demandes/${r.id}`,
        ...extra,
      },
      entity: { type: 'permit_request', id: r.id },
      establishmentId: r.establishmentId,
    },
    now,
  );
}
