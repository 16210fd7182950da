import { accessProblem, accountProblem, contactProblem, detaineeProblem, freeDevices, isDay } from './booking.rules';
import { NOTE_2020_DEFAULTS } from './video-call-settings';

const TZ = 'Europe/Paris';
const at = (iso: string) => new Date(iso);

describe('booking rules', () => {
  it('blocks every slot after a refusal or a withdrawal, and the slots before the end of a suspension only', () => {
    expect(accessProblem(null, at('2026-12-21T08:30:00Z'), TZ)).toBeNull();
    expect(accessProblem({ status: 'ACTIVE', suspendedUntil: null }, at('2026-12-21T08:30:00Z'), TZ)).toBeNull();
    expect(accessProblem({ status: 'REFUSED', suspendedUntil: null }, at('2030-01-01T08:30:00Z'), TZ)?.code).toBe('ACCESS_REFUSED');
    expect(accessProblem({ status: 'WITHDRAWN', suspendedUntil: null }, at('2030-01-01T08:30:00Z'), TZ)?.code).toBe('ACCESS_WITHDRAWN');
    const suspension = { status: 'SUSPENDED' as const, suspendedUntil: at('2026-12-22T11:00:00Z') };
    expect(accessProblem(suspension, at('2026-12-22T10:59:59Z'), TZ)?.message).toBe(
      'Accès à la visiophonie suspendu jusqu’au mardi 22 décembre 2026 à 12 h 00.',
    );
    expect(accessProblem(suspension, at('2026-12-22T11:00:00Z'), TZ)).toBeNull();
  });

  it('needs the blocking of the detainee’s plan available on the account (balance less what is already blocked)', () => {
    expect(accountProblem({ balanceCents: 914, blockedCents: 0, planCode: 'NONE' }, NOTE_2020_DEFAULTS)).toBeNull();
    expect(
      accountProblem({ balanceCents: 1827, blockedCents: 914, planCode: 'NONE' }, NOTE_2020_DEFAULTS)?.message.replace(/\s/g, ' '),
    ).toBe('Crédit insuffisant : 9,14 € nécessaires, 9,13 € sur le compte.');
    expect(accountProblem({ balanceCents: 600, blockedCents: 0, planCode: '40' }, NOTE_2020_DEFAULTS)).toBeNull();
    expect(accountProblem(null, NOTE_2020_DEFAULTS)?.code).toBe('NO_CREDIT');
  });

  it('checks access first, then the charter, then the credit', () => {
    const ok = { access: null, charterSignedOn: '2026-11-02', account: { balanceCents: 5000, blockedCents: 0, planCode: 'NONE' } };
    const t = at('2026-12-21T08:30:00Z');
    expect(detaineeProblem(ok, t, NOTE_2020_DEFAULTS, TZ)).toBeNull();
    expect(detaineeProblem({ ...ok, charterSignedOn: null, account: null }, t, NOTE_2020_DEFAULTS, TZ)?.code).toBe('NO_CHARTER');
    expect(
      detaineeProblem({ ...ok, charterSignedOn: null, access: { status: 'WITHDRAWN', suspendedUntil: null } }, t, NOTE_2020_DEFAULTS, TZ)
        ?.code,
    ).toBe('ACCESS_WITHDRAWN');
  });

  it('finds the devices free during a slot, a booking ending at the slot’s start leaving it free', () => {
    const devices = [{ id: 'a' }, { id: 'b' }];
    const slot = { startsAt: at('2026-12-21T08:30:00Z'), endsAt: at('2026-12-21T09:15:00Z') };
    expect(freeDevices(devices, [{ deviceId: 'a', startsAt: at('2026-12-21T07:45:00Z'), endsAt: slot.startsAt }], slot)).toEqual(devices);
    expect(
      freeDevices(devices, [{ deviceId: 'a', startsAt: at('2026-12-21T09:00:00Z'), endsAt: at('2026-12-21T09:45:00Z') }], slot),
    ).toEqual([{ id: 'b' }]);
  });

  it('refuses an inactive contact, a minor without recorded consent and a number under sanction at the slot’s start', () => {
    const c = { id: 'c', active: true, minor: false, consentGivenBy: null, sanctions: [] };
    const t = at('2026-12-21T08:30:00Z');
    expect(contactProblem(c, t)).toBeNull();
    expect(contactProblem({ ...c, active: false }, t)?.code).toBe('CONTACT_INACTIVE');
    expect(contactProblem({ ...c, minor: true }, t)?.code).toBe('CONTACT_NO_CONSENT');
    expect(contactProblem({ ...c, minor: true, consentGivenBy: 'Mère' }, t)).toBeNull();
    expect(contactProblem({ ...c, sanctions: [{ until: null }] }, t)?.code).toBe('SANCTIONED_NUMBER');
    expect(contactProblem({ ...c, sanctions: [{ until: at('2026-12-21T08:30:01Z') }] }, t)?.code).toBe('SANCTIONED_NUMBER');
    expect(contactProblem({ ...c, sanctions: [{ until: t }] }, t)).toBeNull();
  });

  it('accepts real calendar days only', () => {
    expect(isDay('2028-02-29')).toBe(true);
    expect(isDay('2027-02-29')).toBe(false);
    expect(isDay('2026-13-01')).toBe(false);
    expect(isDay('21/12/2026')).toBe(false);
  });
});
