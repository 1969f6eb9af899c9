/**
 * The signed-in token lives in sessionStorage: per tab, gone when the tab closes, and never sent by the browser on
 * its own (unlike a cookie), so another site cannot make this browser act with it (no CSRF). Only this app's own
 * script can read it, and the CSP admits no other script.
 */
const KEY = 'releasebot.token';

export function readToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null; // storage disabled: behave as signed out
  }
}

export function writeToken(token: string | null): void {
  try {
    if (token) sessionStorage.setItem(KEY, token);
    else sessionStorage.removeItem(KEY);
  } catch {
    // Storage disabled: the token lasts only as long as this page (see session.ts).
  }
}
