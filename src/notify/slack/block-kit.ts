/** The part of Slack's Block Kit releasebot sends, typed so renderers and tests agree on the shape. */
export interface PlainText {
  type: 'plain_text';
  text: string;
  emoji?: boolean;
}
export interface Mrkdwn {
  type: 'mrkdwn';
  text: string;
}
export type TextObject = PlainText | Mrkdwn;

export interface ButtonElement {
  type: 'button';
  action_id: string;
  text: PlainText;
  value: string;
  style?: 'primary' | 'danger';
  confirm?: {
    title: PlainText;
    text: TextObject;
    confirm: PlainText;
    deny: PlainText;
    style?: 'primary' | 'danger';
  };
}

export type Block =
  | { type: 'header'; text: PlainText }
  | { type: 'section'; text?: Mrkdwn; fields?: Mrkdwn[] }
  | { type: 'context'; elements: Mrkdwn[] }
  | { type: 'actions'; block_id: string; elements: ButtonElement[] }
  | { type: 'divider' };

/** A message: Block Kit blocks and the plain-text fallback Slack shows in notifications and old clients. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}

/** Slack's limits: header text 150 characters, section text 3000, a field 2000. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export const mrkdwn = (text: string): Mrkdwn => ({ type: 'mrkdwn', text: clip(text, 3000) });
export const plain = (text: string): PlainText => ({
  type: 'plain_text',
  text: clip(text, 150),
  emoji: true,
});
