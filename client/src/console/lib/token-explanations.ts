import type { TokenInspection } from '../api/console-api';

/** What each kind of credential is, in the words of the person wiring an embed. */
export const KIND_LABELS: Record<TokenInspection['kind'], string> = {
  PAGE_EMBED: 'Page embed token',
  USER_EMBED: 'User embed token (dashboard)',
  DASHBOARD_SESSION: 'Dashboard session (auth_token)',
  API_KEY: 'API key',
  UNKNOWN: 'Not recognised',
};

/** Why a credential does not open its embed, and what to do about it. */
export const REASON_TEXT: Record<NonNullable<TokenInspection['reason']>, string> = {
  MALFORMED:
    'This is not a Porthole token: it should be three base64url parts separated by dots. Check that it was copied whole (not cut short) and that no URL or quotes came with it.',
  BAD_SIGNATURE: 'The signature does not match: the token was altered or cut short, or signed with another secret than the one its kid names.',
  BAD_CLAIMS: 'The token is signed but a claim is wrong: check aud, ws, page, audience, iat, exp and jti against the documented format.',
  EXPIRED: 'The token has expired. Mint a new one (or self-mint with a later exp).',
  NOT_YET_VALID: "The token is not valid yet: its nbf is in the future, or its iat is more than a minute ahead of Porthole's clock (check the signer's clock).",
  REVOKED: 'This was revoked. Mint a new embed, or create a new key.',
  SECRET_REVOKED: 'The signing secret that signed it was revoked. Sign new tokens with an active secret (Settings → Embedding).',
  PAGE_DELETED: 'The page it opens was deleted.',
  AUTHOR_DELETED: "The person who last saved the page's widgets no longer exists. An editor saving the page again fixes every embed of it.",
  MINTER_LOST_ACCESS: 'Whoever minted it was removed, can no longer see the page, or (for a public embed) is no longer an admin. Mint it again.',
  USER_DELETED: 'The user it belongs to was deleted.',
  USER_SUSPENDED: 'The user it belongs to is suspended. Reactivate the user (Users), then use the current embed token.',
  REGENERATED: "The user's embed token was regenerated: this is an earlier one. Copy the current token from Users.",
  SESSION_ENDED: 'The user was suspended after this session began. The dashboard exchanges its embed token for a new session.',
  NOT_AN_EMBED_CREDENTIAL:
    'This is an API key. It belongs on your server (the X-API-KEY header), never in a page. Embeds take an embed token: create one per user, or mint a page embed.',
};

export const UNKNOWN_TEXT =
  'Porthole cannot tell you about this token: it is not a credential of this workspace that you may see. A token of another workspace, or of a page you cannot open, looks like this too.';
