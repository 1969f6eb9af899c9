/** Escapes the three characters Slack's mrkdwn treats as markup (`&`, `<`, `>`); everything else is literal. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `<url|label>`; a URL Slack cannot carry in a link (`|`, `>`, spaces) is shown as plain text instead. */
export function link(url: string | null | undefined, label: string): string {
  if (!url || /[\s|<>]/.test(url)) return escapeMrkdwn(label);
  return `<${url}|${escapeMrkdwn(label)}>`;
}

/**
 * A team's `mention:` as Slack markup: a user group id (S…) becomes `<!subteam^S…>`, a user id `<@U…>`, `here` and
 * `channel` the special mentions; a plain handle stays text (Slack no longer links bare @names from bots).
 */
export function mentionMarkup(mention: string): string {
  const m = mention.trim();
  if (/^S[A-Z0-9]{2,}$/.test(m)) return `<!subteam^${m}>`;
  if (/^[UW][A-Z0-9]{2,}$/.test(m)) return `<@${m}>`;
  if (/^@?(here|channel|everyone)$/.test(m)) return `<!${m.replace(/^@/, '')}>`;
  return escapeMrkdwn(m);
}

/** A change author: mentioned when `users:` maps them to a Slack id, else their name as written. */
export function authorMarkup(author: string, users: Record<string, string> | undefined): string {
  const id = users?.[author];
  return id ? `<@${id}>` : escapeMrkdwn(author);
}

/** A channel reference: ids (C…/G…) become links, names stay text. */
export function channelMarkup(channel: string): string {
  return /^[CG][A-Z0-9]{2,}$/.test(channel)
    ? `<#${channel}>`
    : escapeMrkdwn(channel.startsWith('#') ? channel : `#${channel}`);
}
