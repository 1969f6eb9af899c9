import { ApiError, apiGet, setUnauthorizedHandler } from './api-client.js';
import type { Whoami } from './api-types.js';
import { setServerTime } from './server-clock.js';
import { readToken, writeToken } from './token-store.js';

type Listener = () => void;

/**
 * Who is using the dashboard: the identity behind the stored token (GET /api/v1/whoami), the anonymous reader when
 * the server allows reading without a token, or nobody (the pages then ask to sign in). The server checks every
 * call anyway; this only decides what to show.
 */
export class Session {
  who: Whoami | null = null;
  /** The server refused reading without a token, or the token stopped working. */
  needsSignIn = false;
  /** Why the last token was dropped (revoked, unknown), shown on the sign-in form. */
  lastError: string | null = null;
  private readonly listeners = new Set<Listener>();

  constructor() {
    setUnauthorizedHandler((e) => {
      // A token that worked a moment ago was revoked: sign out rather than fail every call.
      if (!readToken()) return;
      writeToken(null);
      this.lastError = e.message;
      void this.load();
    });
  }

  get signedIn(): boolean {
    return !!this.who && !this.who.anonymous;
  }

  async load(): Promise<void> {
    try {
      this.who = await apiGet<Whoami>('/api/v1/whoami');
      setServerTime(this.who.now);
      this.needsSignIn = false;
    } catch (e) {
      if (!(e instanceof ApiError) || (e.status !== 401 && e.status !== 403)) throw e;
      if (readToken()) {
        writeToken(null);
        this.lastError = e.message;
        return this.load();
      }
      this.who = null;
      this.needsSignIn = true;
    }
    this.emit();
  }

  /** Checks the token with the server before keeping it; throws the API's error when it is refused. */
  async signIn(token: string): Promise<void> {
    const who = await apiGet<Whoami>('/api/v1/whoami', { token: token.trim() });
    writeToken(token.trim());
    this.who = who;
    this.needsSignIn = false;
    this.lastError = null;
    this.emit();
  }

  async signOut(): Promise<void> {
    writeToken(null);
    this.who = null;
    await this.load();
  }

  /** Whether to show Pause / Resume / Roll back / Promote for a service: deploy scope and the service in the limits. */
  canDeploy(service: string, team: string | null): boolean {
    const w = this.who;
    if (!w || w.anonymous || !w.scopes.some((s) => s === 'deploy' || s === 'admin')) return false;
    if (!w.services.length && !w.teams.length) return true;
    return w.services.includes(service) || (!!team && w.teams.includes(team));
  }

  onChange(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(): void {
    for (const fn of this.listeners) fn();
  }
}

export const session = new Session();
