/** Ready-to-paste host code, filled in with this Porthole's address and the ids the console knows. */

const escapeAttribute = (text: string): string => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** An end user's dashboard, two ways (README, "the dashboard flow"): `embed.js`, which sizes it, or a fixed iframe. */
export function userSnippets(origin: string, embedToken: string): { script: string; iframe: string } {
  const token = escapeAttribute(embedToken);
  return {
    script: `<div id="porthole" data-token="${token}" data-api-url="${escapeAttribute(origin)}"></div>\n<script src="${escapeAttribute(origin)}/embed.js" async></script>`,
    iframe: `<iframe src="${escapeAttribute(origin)}/dashboard.html?token=${encodeURIComponent(embedToken)}" title="Your dashboard" style="width:100%;height:900px;border:0"></iframe>`,
  };
}

/** A signing service's minting code (README, "Minting tokens yourself") with the workspace and the secret's id filled in. */
export function selfMintSnippet(origin: string, workspace: { id: string; slug: string }, secretId: string): string {
  return `import { SignJWT } from 'jose';

const token = await new SignJWT({
  ws: '${workspace.id}',
  page: PAGE_ID, // the page to show (its id is in the console's address: #/pages/<id>)
  audience: 'public', // 'self' | 'workspace' | 'public'
  sub: PRINCIPAL_ID, // the principal the embed is clamped to; without it, this secret's creator
  origins: ['https://partner.example'], // the sites that may frame it
  jti: crypto.randomUUID(),
})
  .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: '${secretId}' })
  .setAudience('porthole:embed')
  .setIssuedAt()
  .setExpirationTime('1h') // exp is required
  .sign(new TextEncoder().encode(process.env.PORTHOLE_SIGNING_SECRET)); // the secret, shown once when it was created

const embedUrl = \`${origin}/embed-page/${workspace.slug}/\${PAGE_ID}?t=\${token}\`;`;
}
