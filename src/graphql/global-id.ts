import { InvalidGlobalIdError } from './errors.js';

/**
 * Encodes a global id: base64url of `<Typename>:<database id>`. URL-safe so ids can travel in
 * paths and query strings unescaped.
 *
 * @example
 * encodeGlobalId('Sample', '7f1c…') // 'U2FtcGxlOjdmMWMu…'
 */
export function encodeGlobalId(typename: string, id: string | number | bigint): string {
  return Buffer.from(`${typename}:${String(id)}`, 'utf8').toString('base64url');
}

/**
 * Decodes a global id made by {@link encodeGlobalId} (standard base64 is accepted too). Throws
 * BAD_USER_INPUT ({@link InvalidGlobalIdError}) for anything that is not one.
 */
export function decodeGlobalId(globalId: string): { typename: string; id: string } {
  const text = /^[A-Za-z0-9+/_-]+={0,2}$/.test(globalId) ? Buffer.from(globalId, 'base64').toString('utf8') : '';
  const match = /^([A-Z][A-Za-z]*):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i.exec(text);
  if (!match) throw new InvalidGlobalIdError(globalId);
  return { typename: match[1]!, id: match[2]!.toLowerCase() };
}
