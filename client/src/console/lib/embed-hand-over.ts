import { fetchViewerToken } from '../api/session-api';

export type HandOverResult = 'handed-over' | 'no-opener';

/**
 * The sign-in popup's last step: a viewer token for the person now signed in, posted to the
 * embed frame that opened this window, on Porthole's own origin only (the target origin makes
 * the browser drop it for any other opener), then the window closes.
 */
export async function handOverToEmbed(): Promise<HandOverResult> {
  const opener = window.opener as Window | null;
  if (!opener) return 'no-opener';
  const issued = await fetchViewerToken();
  opener.postMessage({ type: 'porthole:viewer-token', v: 1, ...issued }, location.origin);
  window.close();
  return 'handed-over';
}
