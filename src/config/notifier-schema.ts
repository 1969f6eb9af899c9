import { z } from 'zod';

/** How loud an event is: `info` (progress), `warning` (needs a look), `critical` (paused by a check, rolled back). */
export const severitySchema = z.enum(['info', 'warning', 'critical']);
export type Severity = z.infer<typeof severitySchema>;

/** Filters every notifier accepts: which services (or teams' services) and how loud an event must be. */
const filterShape = {
  /** Only these services; all when omitted. */
  services: z.array(z.string().min(1)).optional(),
  /** Only services owned by these teams; all when omitted. */
  teams: z.array(z.string().min(1)).optional(),
  /** Events below this severity are not sent. */
  minSeverity: severitySchema.optional(),
};

export const operatorSchema = z
  .object({
    name: z.string().min(1),
    scopes: z.array(z.enum(['read', 'deploy', 'admin'])).default(['deploy']),
    services: z.array(z.string()).optional(),
    teams: z.array(z.string()).optional(),
  })
  .strict();
export type SlackOperator = z.output<typeof operatorSchema>;

export const slackNotifierSchema = z
  .object({
    type: z.literal('slack'),
    /** Bot token (xoxb-…). */
    token: z.string().min(1),
    /** Verifies interactive requests (buttons, slash commands). */
    signingSecret: z.string().min(1).optional(),
    /** Override Slack's API base URL (tests, proxies). */
    apiUrl: z.url().optional(),
    /** Deploy channel for services (and teams) that name none. */
    channel: z.string().min(1).optional(),
    /** Alert channel for services (and teams) that name none; without one, alerts go into the deploy thread. */
    alertChannel: z.string().min(1).optional(),
    /** Change authors (as written in changes) to Slack user ids, so they get mentioned. */
    users: z.record(z.string(), z.string()).optional(),
    /** Slack user id -> releasebot identity allowed to act from Slack. */
    operators: z.record(z.string(), operatorSchema).optional(),
    ...filterShape,
  })
  .strict()
  .refine((n) => !n.operators || !!n.signingSecret, {
    path: ['signingSecret'],
    message: 'operators act through buttons and slash commands, which need `signingSecret` to be verified',
  });

export const slackWebhookNotifierSchema = z
  .object({
    type: z.literal('slack-webhook'),
    /** The incoming webhook URL; it is a secret (anyone holding it can post). */
    url: z.url(),
    /** Change authors to Slack user ids, so they get mentioned. */
    users: z.record(z.string(), z.string()).optional(),
    ...filterShape,
  })
  .strict();

export const webhookNotifierSchema = z
  .object({
    type: z.literal('webhook'),
    url: z.url(),
    /** Signs each request: `X-Releasebot-Signature: sha256=HMAC(secret, "<timestamp>.<body>")`. */
    secret: z.string().min(1).optional(),
    /** Only these event types; all when omitted. */
    events: z.array(z.string()).optional(),
    ...filterShape,
  })
  .strict();

export const pagerdutyNotifierSchema = z
  .object({
    type: z.literal('pagerduty'),
    routingKey: z.string().min(1),
    url: z.url().default('https://events.pagerduty.com/v2/enqueue'),
    services: filterShape.services,
    teams: filterShape.teams,
  })
  .strict();

/** Compact lines on the terminal and in the log; what runs when no notifier is configured. */
export const logNotifierSchema = z
  .object({
    type: z.literal('log'),
    ...filterShape,
  })
  .strict();

export const notifierSchema = z.discriminatedUnion('type', [
  slackNotifierSchema,
  slackWebhookNotifierSchema,
  webhookNotifierSchema,
  pagerdutyNotifierSchema,
  logNotifierSchema,
]);
export type NotifierConfig = z.infer<typeof notifierSchema>;
export type SlackNotifierConfig = z.infer<typeof slackNotifierSchema>;
export type SlackWebhookNotifierConfig = z.infer<typeof slackWebhookNotifierSchema>;
export type WebhookNotifierConfig = z.infer<typeof webhookNotifierSchema>;
export type PagerDutyNotifierConfig = z.infer<typeof pagerdutyNotifierSchema>;
export type LogNotifierConfig = z.infer<typeof logNotifierSchema>;
