/** A button press on a deploy message. */
export interface SlackButtonPress {
  kind: 'action';
  userId: string;
  userName: string;
  teamId: string | null;
  actionId: string;
  value: string;
  channelId: string | null;
  messageTs: string | null;
  responseUrl: string | null;
}

/** `/releasebot <text>`. */
export interface SlackSlashCommand {
  kind: 'command';
  command: string;
  text: string;
  userId: string;
  userName: string;
  teamId: string | null;
  channelId: string | null;
  responseUrl: string | null;
}

export type ParsedSlackRequest =
  SlackButtonPress | SlackSlashCommand | { kind: 'ignored'; why: string } | { kind: 'invalid'; why: string };

/**
 * Reads a (verified) Slack request body: interactivity posts `payload=<json>` (we act on `block_actions`), slash
 * commands post their fields form-encoded. Anything else is `ignored` (acknowledged, nothing done).
 */
export function parseSlackRequest(rawBody: string): ParsedSlackRequest {
  const form = new URLSearchParams(rawBody);
  const payloadText = form.get('payload');
  if (payloadText !== null) {
    let p: Record<string, unknown>;
    try {
      p = JSON.parse(payloadText) as Record<string, unknown>;
    } catch {
      return { kind: 'invalid', why: 'payload is not JSON' };
    }
    if (p.type !== 'block_actions') return { kind: 'ignored', why: `interaction type ${String(p.type)}` };
    const user = (p.user ?? {}) as { id?: string; username?: string; name?: string; team_id?: string };
    const action = (Array.isArray(p.actions) ? p.actions[0] : undefined) as
      { action_id?: string; value?: string } | undefined;
    if (!user.id || !action?.action_id)
      return { kind: 'invalid', why: 'block_actions without user or action' };
    const container = (p.container ?? {}) as { channel_id?: string; message_ts?: string };
    const channel = (p.channel ?? {}) as { id?: string };
    const team = (p.team ?? {}) as { id?: string };
    return {
      kind: 'action',
      userId: user.id,
      userName: user.username ?? user.name ?? user.id,
      teamId: team.id ?? user.team_id ?? null,
      actionId: action.action_id,
      value: action.value ?? '',
      channelId: container.channel_id ?? channel.id ?? null,
      messageTs: container.message_ts ?? null,
      responseUrl: typeof p.response_url === 'string' ? p.response_url : null,
    };
  }
  const command = form.get('command');
  const userId = form.get('user_id');
  if (command && userId) {
    return {
      kind: 'command',
      command,
      text: (form.get('text') ?? '').trim(),
      userId,
      userName: form.get('user_name') ?? userId,
      teamId: form.get('team_id'),
      channelId: form.get('channel_id'),
      responseUrl: form.get('response_url'),
    };
  }
  return { kind: 'invalid', why: 'neither an interaction payload nor a slash command' };
}
