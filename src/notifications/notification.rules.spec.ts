import { parseReminderOffsets } from '../config/reminder-offsets';
import { maxSmsSegments, normalizeEmail, normalizePhone, planReminders, retryDelayMs, smsLength } from './notification.rules';

describe('normalizePhone', () => {
  it('normalises French numbers to E.164 and refuses invalid ones', () => {
    expect(normalizePhone('06 12 34 56 78')).toBe('+33612345678');
    expect(normalizePhone('+33 6 12 34 56 78')).toBe('+33612345678');
    expect(normalizePhone('0033612345678')).toBe('+33612345678');
    expect(normalizePhone('+32 470 12 34 56')).toBe('+32470123456');
    expect(normalizePhone('0612')).toBeNull();
    expect(normalizePhone('bonjour')).toBeNull();
  });
  it('checks e-mail addresses', () => {
    expect(normalizeEmail(' Camille.Martin@Example.fr ')).toBe('camille.martin@example.fr');
    expect(normalizeEmail('camille@')).toBeNull();
  });
});

describe('smsLength', () => {
  it('counts GSM-7 (French accents é è à ù are in it) and the extension table', () => {
    expect(smsLength('é'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsLength('a'.repeat(161)).segments).toBe(2);
    expect(smsLength('€'.repeat(80))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsLength('a'.repeat(306)).segments).toBe(2);
    expect(smsLength('a'.repeat(307)).segments).toBe(3);
  });
  it('switches to UCS-2 for other characters (ê, ç, ’)', () => {
    expect(smsLength('ê'.repeat(70))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(smsLength('ç'.repeat(71)).segments).toBe(2);
    expect(smsLength('’'.repeat(134)).segments).toBe(2);
  });
  it('allows 2 parts in GSM-7 and 3 in UCS-2, where Arabic and « í » are written', () => {
    expect(maxSmsSegments(smsLength('a'.repeat(306)).encoding)).toBe(2);
    const arabic = smsLength('م'.repeat(201));
    expect(arabic).toEqual({ encoding: 'UCS-2', units: 201, segments: 3 });
    expect(arabic.segments).toBeLessThanOrEqual(maxSmsSegments(arabic.encoding));
    expect(smsLength('م'.repeat(202)).segments).toBeGreaterThan(maxSmsSegments('UCS-2'));
  });
});

describe('retryDelayMs', () => {
  it('doubles from 30 seconds and caps at one hour', () => {
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(20)).toBe(3_600_000);
  });
});

describe('planReminders', () => {
  const startsAt = new Date('2026-12-10T13:30:00Z');
  const offsets = parseReminderOffsets('P2D:EMAIL,P1D:SMS');

  it('plans 2 days before by e-mail and the day before by SMS (defaults)', () => {
    const plan = planReminders(startsAt, new Date('2026-12-01T08:00:00Z'), offsets, { email: true, sms: true });
    expect(plan).toEqual([
      { channel: 'EMAIL', offset: 'P2D', sendAt: new Date('2026-12-08T13:30:00Z') },
      { channel: 'SMS', offset: 'P1D', sendAt: new Date('2026-12-09T13:30:00Z') },
    ]);
  });

  it('skips reminders already past, channels the person cannot receive, and past appointments', () => {
    expect(planReminders(startsAt, new Date('2026-12-09T00:00:00Z'), offsets, { email: true, sms: true }).map((r) => r.channel)).toEqual([
      'SMS',
    ]);
    expect(planReminders(startsAt, new Date('2026-12-01T00:00:00Z'), offsets, { email: true, sms: false }).map((r) => r.channel)).toEqual([
      'EMAIL',
    ]);
    expect(planReminders(startsAt, new Date('2026-12-11T00:00:00Z'), offsets, { email: true, sms: true })).toEqual([]);
  });

  it('refuses malformed offsets with a readable message', () => {
    expect(() => parseReminderOffsets('2 days:EMAIL')).toThrow('Invalid duration "2 days"');
    expect(() => parseReminderOffsets('P1D:FAX')).toThrow('Invalid reminder channel "FAX"');
    expect(parseReminderOffsets('PT3H:SMS')).toEqual([{ before: 'PT3H', channel: 'SMS' }]);
  });
});
