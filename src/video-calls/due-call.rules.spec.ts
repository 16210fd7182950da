import type { Contact } from './booking.rules';
import { callProgress, codeStop, sendNowProblem } from './due-call.rules';

/** Tuesday 22 December 2026, the 10:30–11:15 slot in Paris. */
const start = new Date('2026-12-22T09:30:00Z');
const end = new Date('2026-12-22T10:15:00Z');
const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);
const call = (o: { status?: string; codeSent?: boolean } = {}) => ({
  status: 'BOOKED',
  startsAt: start,
  endsAt: end,
  codeSent: false,
  ...o,
});
const contact = (o: Partial<Contact> = {}): Contact => ({ id: 'c', active: true, minor: false, consentGivenBy: null, sanctions: [], ...o });
const TZ = 'Europe/Paris';

describe('a booked call once its slot has started', () => {
  it('is to close from the slot’s end while still booked, never before nor once its outcome is recorded', () => {
    expect(callProgress(call(), at(44.99)).toClose).toBe(false);
    expect(callProgress(call(), end).toClose).toBe(true);
    expect(callProgress(call(), at(60 * 24 * 30)).toClose).toBe(true);
    for (const status of ['HELD', 'NO_SHOW', 'CANCELLED']) expect(callProgress(call({ status }), at(60)).toClose).toBe(false);
  });

  it('misses its code from the slot’s start when none was issued, the code still useful until the slot’s end', () => {
    expect(callProgress(call(), at(-0.01))).toEqual({
      started: false,
      ended: false,
      toClose: false,
      codeMissing: false,
      codeStillUseful: false,
    });
    expect(callProgress(call(), start)).toEqual({ started: true, ended: false, toClose: false, codeMissing: true, codeStillUseful: true });
    expect(callProgress(call(), at(44.99)).codeStillUseful).toBe(true);
    expect(callProgress(call(), end)).toEqual({ started: true, ended: true, toClose: true, codeMissing: true, codeStillUseful: false });
    expect(callProgress(call({ codeSent: true }), at(10)).codeMissing).toBe(false);
    expect(callProgress(call({ status: 'CANCELLED' }), at(10)).codeMissing).toBe(false);
  });

  it('lets the officer send the code only for a booked call whose slot has started and not ended', () => {
    expect(sendNowProblem(call(), at(-1))?.code).toBe('NOT_STARTED');
    expect(sendNowProblem(call(), start)).toBeNull();
    expect(sendNowProblem(call({ codeSent: true }), at(3))).toBeNull();
    expect(sendNowProblem(call(), end)?.message).toBe(
      'Le créneau est terminé : un code ne servirait plus. Enregistrez le bilan de l’appel.',
    );
    expect(sendNowProblem(call({ status: 'NO_SHOW' }), at(3))?.code).toBe('NOT_BOOKED');
  });
});

describe('the code that must not be sent', () => {
  const now = at(1);

  it('is sent to an authorised contact of a detainee whose access is active, or never decided', () => {
    expect(codeStop(contact(), null, now, TZ)).toBeNull();
    expect(codeStop(contact(), { status: 'ACTIVE', suspendedUntil: null }, now, TZ)).toBeNull();
    expect(codeStop(contact({ minor: true, consentGivenBy: 'Ana Souza (mère)' }), null, now, TZ)).toBeNull();
  });

  it('is not sent to a contact deactivated, or a minor without the recorded consent', () => {
    expect(codeStop(contact({ active: false }), null, now, TZ)).toEqual({
      code: 'CONTACT_INACTIVE',
      reason: 'Contact retiré de la liste des contacts autorisés (constaté à l’envoi du code, qui n’est pas parti)',
    });
    expect(codeStop(contact({ minor: true }), null, now, TZ)?.code).toBe('CONTACT_NO_CONSENT');
  });

  it('is not sent to a number under a sanction with no end or ending after now, and is sent once the sanction has ended', () => {
    expect(codeStop(contact({ sanctions: [{ until: null }] }), null, now, TZ)).toEqual({
      code: 'SANCTIONED_NUMBER',
      reason: 'Numéro du contact sous sanction (constaté à l’envoi du code, qui n’est pas parti)',
    });
    expect(codeStop(contact({ sanctions: [{ until: at(1.01) }] }), null, now, TZ)?.code).toBe('SANCTIONED_NUMBER');
    // Ended between the slot's start and now: the call may go ahead.
    expect(codeStop(contact({ sanctions: [{ until: now }] }), null, now, TZ)).toBeNull();
    expect(codeStop(contact({ sanctions: [{ until: at(0.5) }] }), null, now, TZ)).toBeNull();
  });

  it('is not sent when the detainee’s access is refused, withdrawn or suspended beyond now, the contact checked first', () => {
    expect(codeStop(contact(), { status: 'REFUSED', suspendedUntil: null }, now, TZ)?.reason).toBe(
      'Accès à la visiophonie refusé à la personne détenue (constaté à l’envoi du code, qui n’est pas parti)',
    );
    expect(codeStop(contact(), { status: 'WITHDRAWN', suspendedUntil: null }, now, TZ)?.code).toBe('ACCESS_WITHDRAWN');
    expect(codeStop(contact(), { status: 'SUSPENDED', suspendedUntil: at(2) }, now, TZ)?.code).toBe('ACCESS_SUSPENDED');
    expect(codeStop(contact(), { status: 'SUSPENDED', suspendedUntil: now }, now, TZ)).toBeNull();
    expect(codeStop(contact({ active: false }), { status: 'WITHDRAWN', suspendedUntil: null }, now, TZ)?.code).toBe('CONTACT_INACTIVE');
  });
});
