/**
 * HMAC-SHA256 keys imported once (WebCrypto, as jose uses), so verifying a token does not
 * import its key again on every request. Callers cache the key beside the secret it came from
 * and still look the secret up on every load: caching a key never caches a decision.
 */
export function importHmacKey(bytes: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', bytes as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}
