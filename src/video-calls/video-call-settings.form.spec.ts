import { NOTE_2020_DEFAULTS } from './video-call-settings';
import { describeChanges, euros, parseEuros, parseSlots, planCodesChanged } from './video-call-settings.form';

describe('the video-call settings form', () => {
  it('reads slots one per line, sorted, and refuses overlapping, backwards or malformed ones', () => {
    expect(parseSlots('13:45-14:30\r\n 8:30 – 09:15 \n\n')).toEqual({
      ok: true,
      slots: [
        { start: '08:30', end: '09:15' },
        { start: '13:45', end: '14:30' },
      ],
    });
    expect(parseSlots('08:30-09:15\n09:15-10:00').ok).toBe(true);
    expect(parseSlots('08:30-09:15\n09:14-10:00')).toEqual({
      ok: false,
      message: 'Les créneaux 08:30-09:15 et 09:14-10:00 se chevauchent',
    });
    expect(parseSlots('09:15-09:15')).toEqual({ ok: false, message: 'Créneau « 09:15-09:15 » : la fin doit être après le début' });
    expect(parseSlots('24:00-24:30')).toEqual({ ok: false, message: 'Créneau « 24:00-24:30 » : écrivez-le au format HH:MM-HH:MM' });
    expect(parseSlots(' \n ')).toEqual({ ok: false, message: 'Indiquez au moins un créneau, au format HH:MM-HH:MM' });
    expect(parseSlots(['08:30-09:15']).ok).toBe(false);
  });

  it('reads prices in euros with a comma, never negative, as integer cents', () => {
    expect([parseEuros('0,30'), parseEuros('0.3'), parseEuros(' 1 '), parseEuros('0,07'), parseEuros('12,5')]).toEqual([
      30, 30, 100, 7, 1250,
    ]);
    expect([parseEuros('-0,30'), parseEuros('0,305'), parseEuros('abc'), parseEuros(''), parseEuros(undefined)]).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
    expect([euros(30), euros(0), euros(1250)]).toEqual(['0,30', '0,00', '12,50']);
  });

  it('says what changed from one version to the next, and nothing when nothing did', () => {
    expect(describeChanges(NOTE_2020_DEFAULTS, NOTE_2020_DEFAULTS)).toEqual([]);
    const after = {
      ...NOTE_2020_DEFAULTS,
      maxMinutes: 45,
      plans: NOTE_2020_DEFAULTS.plans.map((p) => (p.code === 'NONE' ? { ...p, connectionCents: 20 } : p)),
    };
    expect(describeChanges(NOTE_2020_DEFAULTS, after)).toEqual([
      'Durée d’un appel : 20 à 30 min → 20 à 45 min',
      'Sans forfait : 0,30 €/min + 0,14 € de connexion → 0,30 €/min + 0,20 € de connexion',
    ]);
  });

  it('refuses a price table whose plan codes differ from the current version’s, in whatever order they come', () => {
    const plans = NOTE_2020_DEFAULTS.plans;
    expect(
      planCodesChanged(
        plans,
        [...plans].reverse().map((p) => ({ ...p, centsPerMinute: 1 })),
      ),
    ).toBeNull();
    const message = 'Le tableau des prix ne correspond plus aux forfaits en vigueur : rechargez la page';
    expect(
      planCodesChanged(
        plans,
        plans.filter((p) => p.code !== 'NONE'),
      ),
    ).toBe(message);
    expect(planCodesChanged(plans, [...plans, { code: '200', centsPerMinute: 10, connectionCents: 0 }])).toBe(message);
    expect(
      planCodesChanged(
        plans,
        plans.map((p) => (p.code === '20' ? { ...p, code: '25' } : p)),
      ),
    ).toBe(message);
  });
});
