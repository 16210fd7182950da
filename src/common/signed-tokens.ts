import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * A code for a QR code (a printed permit, a convocation): an id and an HMAC, nothing personal. Only
 * P2V (which holds the secret) can make one; a copied or altered code does not verify.
 */
export class SignedTokens {
  private readonly key: Buffer;

  /** `purpose` separates the keys of different codes (permits, convocations); `prefix` tells them apart when read. */
  constructor(
    secret: string,
    purpose: string,
    private readonly prefix: string,
  ) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'p2v', purpose, 32));
  }

  sign(uuid: string): string {
    const id = Buffer.from(uuid.replace(/-/g, ''), 'hex');
    if (id.length !== 16) throw new Error('Bad id');
    const mac = createHmac('sha256', this.key).update(id).digest().subarray(0, 16);
    return `${this.prefix}.${id.toString('base64url')}.${mac.toString('base64url')}`;
  }

  /** The id of a valid token, or null. */
  verify(token: string): string | null {
    const m = /^([A-Z0-9]{2,8})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$/.exec(token.trim());
    if (!m || m[1] !== this.prefix) return null;
    m.shift();
    const id = Buffer.from(m[1], 'base64url');
    const mac = Buffer.from(m[2], 'base64url');
    // One spelling per token: the last character of each part has bits the decoder ignores, which
    // would otherwise let 4 to 16 spellings of one code verify.
    if (id.toString('base64url') !== m[1] || mac.toString('base64url') !== m[2]) return null;
    const expected = createHmac('sha256', this.key).update(id).digest().subarray(0, 16);
    if (id.length !== 16 || mac.length !== 16 || !timingSafeEqual(mac, expected)) return null;
    const hex = id.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}
