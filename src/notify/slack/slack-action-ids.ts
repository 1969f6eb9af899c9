/** `action_id`s of the deploy message's buttons; the interaction handler maps them back to operations. */
export const SLACK_ACTION_IDS = {
  pause: 'releasebot.pause',
  resume: 'releasebot.resume',
  rollback: 'releasebot.rollback',
} as const;

export type SlackButtonAction = keyof typeof SLACK_ACTION_IDS;

export function buttonAction(actionId: string): SlackButtonAction | null {
  for (const [k, v] of Object.entries(SLACK_ACTION_IDS)) if (v === actionId) return k as SlackButtonAction;
  return null;
}
