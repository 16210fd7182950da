/**
 * A signed QR code (src/common/signed-tokens.ts) with its signature altered: the signature's first
 * character changed, which always changes the signature's bytes (its last character would not: part of
 * its bits are ignored, and a random token may already end with the replacement).
 */
export function forgedToken(token: string): string {
  const at = token.lastIndexOf('.') + 1;
  return `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
}
