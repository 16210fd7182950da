import crypto from 'node:crypto';
import { codeCheck, codeExpiresAt, CODE_MESSAGES, hashCode, newCode, type StoredCode } from './code.rules';

const SECRET = 'a-test-secret-of-some-length-0123456789';
const start = new Date('2026-06-10T06:30:00Z');
const end = new Date('2026-06-10T07:15:00Z');

function stored(code: string, overrides: Partial<StoredCode> = {}): StoredCode {
  return { storedHash: hashCode(code, SECRET), expiresAt: codeExpiresAt(start, end, start), usedAt: null, failedAttempts: 0, ...overrides };
}

afterEach(() => jest.restoreAllMocks());

describe('video-call codes', () => {
  it('draws six digits from crypto.randomInt, zero-padded, never from Math.random', () => {
    const mathRandom = jest.spyOn(Math, 'random');
    const randomInt = jest.spyOn(crypto, 'randomInt') as unknown as jest.SpyInstance<number, [number, number]>;
    randomInt.mockReturnValueOnce(42).mockReturnValueOnce(0).mockReturnValueOnce(999999);
    expect([newCode(), newCode(), newCode()]).toEqual(['000042', '000000', '999999']);
    expect(randomInt).toHaveBeenCalledWith(0, 1_000_000);
    expect(mathRandom).not.toHaveBeenCalled();
  });

  it('spreads codes evenly over the digits (distribution sanity over 20 000 codes)', () => {
    const mathRandom = jest.spyOn(Math, 'random');
    const n = 20_000;
    const codes = Array.from({ length: n }, () => newCode());
    expect(codes.every((c) => /^\d{6}$/.test(c))).toBe(true);
    expect(mathRandom).not.toHaveBeenCalled();
    // Each position: every digit between 7 % and 13 % of the draws (expected 10 %; 20 000 draws make a
    // wider gap practically impossible for a uniform generator: more than 8 standard deviations).
    for (let pos = 0; pos < 6; pos++) {
      const counts = Array<number>(10).fill(0);
      for (const c of codes) counts[Number(c[pos])]++;
      for (const count of counts) {
        expect(count).toBeGreaterThan(n * 0.07);
        expect(count).toBeLessThan(n * 0.13);
      }
    }
    expect(new Set(codes).size).toBeGreaterThan(n * 0.97); // few repeats among a million possible codes
  });

  it('stores an HMAC-SHA256 of the code (hex), never the code, and another secret gives another hash', () => {
    const hash = hashCode('123456', SECRET);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(crypto.createHmac('sha256', SECRET).update('123456').digest('hex'));
    expect(hash).not.toContain('123456');
    expect(hashCode('123456', 'another-secret')).not.toBe(hash);
    expect(() => hashCode('123456', '')).toThrow();
  });

  it('accepts the right code, spaces ignored, and refuses a wrong one', () => {
    const now = new Date('2026-06-10T06:31:00Z');
    expect(codeCheck(stored('048213'), '048213', now, SECRET)).toBe('ACCEPTED');
    expect(codeCheck(stored('048213'), ' 048 213 ', now, SECRET)).toBe('ACCEPTED');
    expect(codeCheck(stored('048213'), '048214', now, SECRET)).toBe('WRONG');
    expect(codeCheck(stored('048213'), '48213', now, SECRET)).toBe('WRONG');
    expect(codeCheck(stored('048213'), 'abcdef', now, SECRET)).toBe('WRONG');
    expect(codeCheck(stored('048213'), '048213', now, 'another-secret')).toBe('WRONG');
  });

  it('refuses a code already used, even the right one', () => {
    const used = stored('048213', { usedAt: new Date('2026-06-10T06:31:00Z') });
    expect(codeCheck(used, '048213', new Date('2026-06-10T06:32:00Z'), SECRET)).toBe('USED');
    expect(CODE_MESSAGES.USED).toBe('Ce code a déjà servi : il n’est valable qu’une fois.');
  });

  it('is valid until just before 5 minutes after the slot’s start and refused from exactly 5 minutes (the flyer’s « moins de 5 minutes »)', () => {
    expect(codeExpiresAt(start, end, start)).toEqual(new Date('2026-06-10T06:35:00Z'));
    expect(codeCheck(stored('048213'), '048213', new Date('2026-06-10T06:34:59.999Z'), SECRET)).toBe('ACCEPTED');
    expect(codeCheck(stored('048213'), '048213', new Date('2026-06-10T06:35:00Z'), SECRET)).toBe('EXPIRED');
    expect(codeCheck(stored('048213'), '048213', new Date('2026-06-10T07:00:00Z'), SECRET)).toBe('EXPIRED');
  });

  it('gives a code issued late its full 5 minutes from when it is issued, never past the slot’s end', () => {
    expect(codeExpiresAt(start, end, new Date('2026-06-10T06:29:00Z'))).toEqual(new Date('2026-06-10T06:35:00Z'));
    expect(codeExpiresAt(start, end, new Date('2026-06-10T06:34:30Z'))).toEqual(new Date('2026-06-10T06:39:30Z'));
    expect(codeExpiresAt(start, end, new Date('2026-06-10T07:12:00Z'))).toEqual(end);
  });

  it('locks after 5 wrong attempts: the 6th attempt is refused even with the right code', () => {
    const now = new Date('2026-06-10T06:31:00Z');
    let code = stored('731905');
    const results: string[] = [];
    for (const typed of ['000000', '111111', '222222', '333333', '444444']) {
      const result = codeCheck(code, typed, now, SECRET);
      results.push(result);
      if (result === 'WRONG') code = { ...code, failedAttempts: code.failedAttempts + 1 };
    }
    expect(results).toEqual(['WRONG', 'WRONG', 'WRONG', 'WRONG', 'WRONG']);
    expect(codeCheck(code, '731905', now, SECRET)).toBe('LOCKED');
    // After 4 wrong attempts, the 5th may still be the right one.
    expect(codeCheck(stored('731905', { failedAttempts: 4 }), '731905', now, SECRET)).toBe('ACCEPTED');
  });
});
