import { SignedTokens } from './signed-tokens';

const permitTokens = (secret: string) => new SignedTokens(secret, 'permit-qr-token', 'P2V1');

describe('SignedTokens (permit QR codes)', () => {
  const tokens = permitTokens('a-secret-of-at-least-32-characters-long');
  const id = '3f1c2b4a-9d8e-4f70-8a1b-2c3d4e5f6a7b';

  it('signs a permit id into a short token without personal data, and verifies it', () => {
    const token = tokens.sign(id);
    expect(token).toMatch(/^P2V1\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/);
    expect(tokens.verify(token)).toBe(id);
  });

  it('refuses an altered token, a token from another secret, and garbage', () => {
    const token = tokens.sign(id);
    const altered = token.slice(0, 10) + (token[10] === 'A' ? 'B' : 'A') + token.slice(11);
    expect(tokens.verify(altered)).toBeNull();
    expect(permitTokens('another-secret-of-at-least-32-characters').verify(token)).toBeNull();
    expect(tokens.verify('https://evil.example/')).toBeNull();
  });

  it('accepts one spelling of a token only: not another last character that decodes to the same bytes', () => {
    const token = tokens.sign(id);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(token.slice(-1));
    // The signature's last character carries 2 bits of it: the next one up differs only in ignored bits.
    const sameBytes = token.slice(0, -1) + alphabet[last + 1];
    expect(Buffer.from(sameBytes.split('.')[2], 'base64url')).toEqual(Buffer.from(token.split('.')[2], 'base64url'));
    expect(tokens.verify(sameBytes)).toBeNull();
  });
});

describe('SignedTokens for another purpose (convocation QR codes)', () => {
  it('does not accept a permit token as a convocation token, nor the reverse', () => {
    const permits = permitTokens('a-secret-of-at-least-32-characters-long');
    const visits = new SignedTokens('a-secret-of-at-least-32-characters-long', 'visit-qr-token', 'P2VV');
    const id = '3f1c2b4a-9d8e-4f70-8a1b-2c3d4e5f6a7b';
    expect(visits.sign(id)).toMatch(/^P2VV\./);
    expect(visits.verify(visits.sign(id))).toBe(id);
    expect(visits.verify(permits.sign(id))).toBeNull();
    expect(permits.verify(visits.sign(id))).toBeNull();
    const forged = `P2VV.${permits.sign(id).slice(5)}`;
    expect(visits.verify(forged)).toBeNull();
  });
});
