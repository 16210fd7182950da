import { billedMinutes, blockedCents, chargedCents, creditProblem, euros, releasedCents } from './cost.rules';
import { NOTE_2020_DEFAULTS as s } from './video-call-settings';

const NBSP = '\u00a0';

describe('video-call cost', () => {
  it('blocks the longest call (30 minutes) at every plan of the note', () => {
    const blocked = Object.fromEntries(s.plans.map((p) => [p.code, blockedCents(s, p.code)]));
    expect(blocked).toEqual({
      NONE: 914, // hors forfait: 30 × 0,30 € + 0,14 € = 9,14 €
      '20': 780, // 30 × 0,26 €
      '30': 750, // 30 × 0,25 €
      '40': 600, // 30 × 0,20 €
      '50': 810, // 30 × 0,27 € (as the note says)
      '70': 750,
      '100': 600,
    });
    expect(euros(blockedCents(s, 'NONE'))).toBe(`9,14${NBSP}€`);
    expect(euros(blockedCents(s, '20'))).toBe(`7,80${NBSP}€`);
    expect(euros(blockedCents(s, '50'))).toBe(`8,10${NBSP}€`);
  });

  it('charges the real duration rounded up to the minute, the connection fee without a plan, and releases the rest', () => {
    expect(billedMinutes(0)).toBe(0);
    expect(billedMinutes(1)).toBe(1);
    expect(billedMinutes(1200)).toBe(20);
    expect(billedMinutes(1201)).toBe(21);
    expect(chargedCents(s, 'NONE', 1201)).toBe(21 * 30 + 14);
    expect(chargedCents(s, '20', 1201)).toBe(21 * 26);
    expect(chargedCents(s, '30', 1500)).toBe(25 * 25);
    expect(chargedCents(s, '40', 1199)).toBe(20 * 20);
    expect(chargedCents(s, '50', 1800)).toBe(810);
    expect(chargedCents(s, '70', 59)).toBe(25);
    expect(chargedCents(s, '100', 61)).toBe(40);
    expect(releasedCents(blockedCents(s, 'NONE'), chargedCents(s, 'NONE', 1201))).toBe(914 - 644);
  });

  it('charges nothing for a call that did not take place (0 seconds)', () => {
    expect(chargedCents(s, 'NONE', 0)).toBe(0);
    expect(releasedCents(914, 0)).toBe(914);
  });

  it('never charges more than was blocked: past 30 minutes the call costs the blocked amount, unless the head allowed longer and it was blocked', () => {
    expect(chargedCents(s, 'NONE', 1801)).toBe(914);
    expect(chargedCents(s, 'NONE', 3600)).toBe(914);
    expect(chargedCents(s, '20', 2400)).toBe(780);
    // The head allowed 45 minutes for this call: 45 minutes are blocked, 40 minutes charged.
    expect(blockedCents(s, 'NONE', 45)).toBe(45 * 30 + 14);
    expect(chargedCents(s, 'NONE', 2400, 45)).toBe(40 * 30 + 14);
    expect(chargedCents(s, 'NONE', 3600, 45)).toBe(45 * 30 + 14);
    expect(() => releasedCents(914, 915)).toThrow();
  });

  it('refuses a plan the establishment does not have and durations that are not whole', () => {
    expect(() => blockedCents(s, '25')).toThrow('Unknown video-call plan: 25');
    expect(() => chargedCents(s, 'NONE', 12.5)).toThrow();
    expect(() => chargedCents(s, 'NONE', -1)).toThrow();
    expect(() => blockedCents(s, 'NONE', 0)).toThrow();
  });

  it('refuses a booking without enough credit, saying what is needed and what the account holds', () => {
    expect(creditProblem(500, 914)).toEqual({
      code: 'NO_CREDIT',
      message: `Crédit insuffisant : 9,14${NBSP}€ nécessaires, 5,00${NBSP}€ sur le compte.`,
    });
    expect(creditProblem(913, 914)?.code).toBe('NO_CREDIT');
    expect(creditProblem(914, 914)).toBeNull();
    expect(creditProblem(2000, 780)).toBeNull();
  });

  it('writes euros the French way', () => {
    expect(euros(0)).toBe(`0,00${NBSP}€`);
    expect(euros(123456)).toBe(`1\u202f234,56${NBSP}€`);
    expect(() => euros(9.5)).toThrow();
  });
});
