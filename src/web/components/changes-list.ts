import type { PresentedDeploy } from '../api-types.js';
import { h, safeUrl } from '../dom.js';

type Change = PresentedDeploy['changes'][number];

/** One change: its id (a link when the URL is http(s)), title and author. */
export function changeItem(c: Change): HTMLElement {
  const url = c.url ? safeUrl(c.url) : null;
  return h(
    'li',
    { class: 'change' },
    url
      ? h('a', { href: url, rel: 'noopener noreferrer', target: '_blank', class: 'change-id' }, c.id)
      : h('span', { class: 'change-id' }, c.id),
    c.title ? h('span', { class: 'change-title' }, ` ${c.title}`) : null,
    c.author ? h('span', { class: 'change-author' }, ` by ${c.author}`) : null,
  );
}

export function changesList(changes: Change[]): HTMLElement {
  if (!changes.length) return h('p', { class: 'muted' }, 'No changes were listed with this deploy.');
  return h('ul', { class: 'changes' }, changes.map(changeItem));
}

/** The first changes in one line, for tables: `#812 Retry payment (alice) +2 more`. */
export function changesSummary(changes: Change[]): HTMLElement {
  if (!changes.length) return h('span', { class: 'muted' }, '—');
  const first = changes
    .slice(0, 2)
    .map((c) => `${c.id}${c.title ? ` ${c.title}` : ''}${c.author ? ` (${c.author})` : ''}`);
  const more = changes.length > 2 ? ` +${changes.length - 2} more` : '';
  return h(
    'span',
    {
      class: 'changes-summary',
      title: changes.map((c) => `${c.id} ${c.title ?? ''} ${c.author ?? ''}`).join('\n'),
    },
    first.join('; '),
    more,
  );
}
