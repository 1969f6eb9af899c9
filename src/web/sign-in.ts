import { ApiError } from './api-client.js';
import { h } from './dom.js';
import { session } from './session.js';

/**
 * The sign-in form: a releasebot token (read scope to view, deploy scope to act). The token is checked with the
 * server before it is kept; it is kept in this tab's sessionStorage only.
 */
export function signInForm(opts: { onDone?: () => void; onCancel?: () => void } = {}): HTMLElement {
  const input = h('input', {
    type: 'password',
    name: 'token',
    id: 'token',
    autocomplete: 'off',
    spellcheck: 'false',
    placeholder: 'rb_…',
    required: true,
  });
  const message = h(
    'div',
    { class: 'form-message', role: 'status' },
    session.lastError ? `Signed out: ${session.lastError}` : '',
  );
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h(
    'form',
    {
      class: 'sign-in',
      'aria-label': 'Sign in',
      onsubmit: (e: Event) => {
        e.preventDefault();
        submit.disabled = true;
        message.textContent = 'Checking the token…';
        session.signIn(input.value).then(
          () => opts.onDone?.(),
          (err: unknown) => {
            submit.disabled = false;
            message.textContent =
              err instanceof ApiError
                ? `${err.message}${err.hint ? ` — ${err.hint}` : ''}`
                : `Could not sign in: ${(err as Error).message}`;
            message.className = 'form-message error';
          },
        );
      },
    },
    h('h2', null, 'Sign in to releasebot'),
    h(
      'p',
      null,
      'Paste a releasebot token. A token with the read scope shows deploys; the deploy scope adds Pause, Resume, Roll back and Promote. ',
      'Create one with ',
      h('code', null, 'releasebot token create --name <you> --scope deploy'),
      '.',
    ),
    h('label', { for: 'token' }, 'Token'),
    input,
    h(
      'div',
      { class: 'form-actions' },
      submit,
      opts.onCancel ? h('button', { type: 'button', onclick: () => opts.onCancel?.() }, 'Cancel') : null,
    ),
    message,
    h(
      'p',
      { class: 'fine' },
      'The token stays in this browser tab (sessionStorage) and is sent only to this server, as a bearer header.',
    ),
  );
  queueMicrotask(() => input.focus());
  return form;
}
