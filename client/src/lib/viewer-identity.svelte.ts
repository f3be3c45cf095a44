/**
 * Who is viewing a SELF or WORKSPACE page embed, learned without third-party cookies.
 *
 * The viewer token lives in this object's memory only (never in storage) and goes out as
 * `X-Porthole-Viewer`. It is obtained, in order:
 * 1. silently, when the browser already lets this frame use Porthole's cookies (same site, or a
 *    storage-access grant): `POST /console/viewer-token` with the viewer bridge cookie;
 * 2. on "Sign in to view": the Storage Access API first, then a first-party popup
 *    (`/console/embed-sign-in`) that signs the person in and posts the token back to this frame.
 * It is renewed with itself before it expires, so an open view is never lost to the renewal.
 */

const TOKEN_ENDPOINT = '/console/viewer-token';
const POPUP_PATH = '/console/embed-sign-in';
/** Renew this long before the token ends (its lifetime is 15 minutes). */
const RENEW_AHEAD_MS = 2 * 60_000;
const MIN_RENEW_DELAY_MS = 10_000;

export type SignInState = 'idle' | 'waiting' | 'blocked';

interface IssuedToken {
  viewerToken: string;
  expiresAt: string;
}

const isIssued = (value: unknown): value is IssuedToken =>
  !!value &&
  typeof (value as IssuedToken).viewerToken === 'string' &&
  (value as IssuedToken).viewerToken.length < 2048 &&
  typeof (value as IssuedToken).expiresAt === 'string';

/** Whether the person already granted this frame storage access (a permission the browser remembers). */
async function storageAccessGranted(): Promise<boolean> {
  try {
    return (await navigator.permissions.query({ name: 'storage-access' as PermissionName })).state === 'granted';
  } catch {
    return false;
  }
}

export class ViewerIdentity {
  #token: string | null = null;
  #state = $state<SignInState>('idle');
  #timer: ReturnType<typeof setTimeout> | undefined;
  #popup: Window | null = null;
  readonly #changed: () => void;

  /** @param changed called whenever a new viewer token arrives (the embed then loads again) */
  constructor(changed: () => void) {
    this.#changed = changed;
    addEventListener('message', (event) => this.#receive(event));
  }

  /** The viewer token to send, or null. */
  get token(): string | null {
    return this.#token;
  }

  /** Where the sign-in stands, for the prompt. */
  get state(): SignInState {
    return this.#state;
  }

  /** Forgets the token (the server refused it: the session ended). */
  forget(): void {
    this.#token = null;
    clearTimeout(this.#timer);
  }

  /**
   * Step 1: a token without any prompt, when this frame may already use Porthole's cookies: it has
   * storage access, or the person granted it before (then `requestStorageAccess` needs no click).
   */
  async trySilently(): Promise<boolean> {
    if (!document.hasStorageAccess) return this.#fetch(undefined);
    let allowed = await document.hasStorageAccess().catch(() => false);
    if (!allowed && (await storageAccessGranted()))
      allowed = await document.requestStorageAccess().then(
        () => true,
        () => false,
      );
    return allowed ? this.#fetch(undefined) : false;
  }

  /** Step 2, on the viewer's click: storage access first, else the sign-in popup. */
  async signIn(): Promise<void> {
    if (this.#state === 'blocked') return this.#openPopup();
    if (document.requestStorageAccess) {
      try {
        await document.requestStorageAccess();
        if (await this.#fetch(undefined)) return;
      } catch {
        // Refused or not offered here: the popup needs no storage access.
      }
    }
    this.#openPopup();
  }

  #openPopup(): void {
    this.#popup = window.open(POPUP_PATH, 'porthole-sign-in', 'popup,width=460,height=640');
    // A popup blocker (or a prompt that used up the click): ask for one more click.
    this.#state = this.#popup ? 'waiting' : 'blocked';
  }

  /** Only the popup this frame opened, on Porthole's own origin, may hand it a token. */
  #receive(event: MessageEvent): void {
    if (event.origin !== location.origin || !this.#popup || event.source !== this.#popup) return;
    const data = event.data as { type?: unknown; v?: unknown } | null;
    if (!data || data.type !== 'porthole:viewer-token' || data.v !== 1 || !isIssued(data)) return;
    this.#popup = null;
    this.#accept(data);
  }

  #accept(issued: IssuedToken): void {
    this.#token = issued.viewerToken;
    this.#state = 'idle';
    clearTimeout(this.#timer);
    const delay = Math.max(MIN_RENEW_DELAY_MS, Date.parse(issued.expiresAt) - Date.now() - RENEW_AHEAD_MS);
    this.#timer = setTimeout(() => void this.#renew(), delay);
    this.#changed();
  }

  /** Renews with the token itself while it is still valid; a refusal leaves the next load to ask for sign-in. */
  async #renew(): Promise<void> {
    if (this.#token && !(await this.#fetch(this.#token))) this.forget();
  }

  /** `POST /console/viewer-token`, with the current token (renewal) or with cookies. */
  async #fetch(current: string | undefined): Promise<boolean> {
    try {
      const response = await fetch(TOKEN_ENDPOINT, {
        method: 'POST',
        headers: current ? { 'x-porthole-viewer': current } : {},
        credentials: current ? 'omit' : 'include',
        referrerPolicy: 'no-referrer',
      });
      const body: unknown = response.ok ? await response.json() : null;
      if (!isIssued(body)) return false;
      this.#accept(body);
      return true;
    } catch {
      return false;
    }
  }
}
