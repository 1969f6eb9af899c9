import { ApiError } from '../api-client.js';
import { h } from '../dom.js';

/** An error box with the API's code, message and hint. */
export function errorNotice(e: unknown, what: string): HTMLElement {
  if (e instanceof ApiError) {
    return h(
      'div',
      { class: 'notice error', role: 'alert', 'data-error-code': e.code },
      h('strong', null, `${what}: `),
      e.message,
      e.hint ? h('div', { class: 'hint' }, e.hint) : null,
      h('div', { class: 'code' }, e.code),
    );
  }
  return h(
    'div',
    { class: 'notice error', role: 'alert' },
    h('strong', null, `${what}: `),
    (e as Error)?.message ?? String(e),
  );
}

export function loading(what = 'Loading'): HTMLElement {
  return h('div', { class: 'loading', 'aria-busy': 'true' }, `${what}…`);
}

export function emptyNotice(text: string): HTMLElement {
  return h('div', { class: 'notice empty' }, text);
}
