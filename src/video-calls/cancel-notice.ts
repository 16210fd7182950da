import type { EntityManager } from 'typeorm';
import { whenShort } from '../appointments/appointment.rules';
import { DomainError } from '../common/domain-error';
import type { NotificationsService } from '../notifications/notifications.service';

/** A cancelled call as its contact's notice needs it. */
export interface CancelledCall {
  id: string;
  establishmentId: string;
  timeZone: string;
  phone: string;
  startsAt: Date;
}

/**
 * The contact of a cancelled call is told by SMS, in the cancellation's transaction (whoever cancels: the
 * officer, a decision on the detainee, the contact or the number, or the code job's last check): the contact
 * got the booking's SMS and would otherwise wait for a code. No name, no reason (the SMS may be read by others).
 * Best effort: a stored number the phone library no longer accepts never stops the cancellation (and the
 * release of the blocked amount); the answer, false, goes into the cancellation's audit.
 */
export async function queueCancelledCallSms(
  notifications: NotificationsService,
  m: EntityManager,
  call: CancelledCall,
  now: Date,
): Promise<boolean> {
  try {
    await notifications.enqueue(
      m,
      {
        channel: 'SMS',
        to: call.phone,
        template: 'video-call-cancelled',
        category: 'TRANSACTIONAL',
        // The instant and clock too: the SMS is written in the family's language from them.
        data: { whenShort: whenShort(call.startsAt, call.timeZone), startsAt: call.startsAt.toISOString(), timeZone: call.timeZone },
        entity: { type: 'video_call_booking', id: call.id },
        establishmentId: call.establishmentId,
      },
      now,
    );
    return true;
  } catch (e) {
    // The address is checked before anything is written: the transaction is intact.
    if (e instanceof DomainError && e.code === 'INVALID_PHONE') return false;
    throw e;
  }
}
