import { z } from 'zod';
import { didYouMean } from './did-you-mean.js';

/** Placeholders a deployer command, webhook or stage gate may use, e.g. `{{version}}`. */
export const TEMPLATE_VARIABLES = [
  'service',
  'version',
  'previousVersion',
  'traffic',
  'stage',
  'deployId',
  'idempotencyKey',
] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

const PLACEHOLDER = /\{\{\s*([^}\s]*)\s*\}\}/g;

/** Reports each `{{name}}` that is not a template variable, with a suggestion. */
export function checkPlaceholders(text: string, ctx: z.core.$RefinementCtx<string>): void {
  for (const m of text.matchAll(PLACEHOLDER)) {
    const name = m[1];
    if ((TEMPLATE_VARIABLES as readonly string[]).includes(name)) continue;
    const close = didYouMean(name, TEMPLATE_VARIABLES);
    ctx.addIssue({
      code: 'custom',
      message:
        `unknown placeholder {{${name}}}` +
        (close ? `; did you mean {{${close}}}?` : '') +
        ` (one of ${TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(', ')})`,
    });
  }
}

/**
 * A command template: a misspelt `{{verison}}` is a config error with a suggestion, not a literal
 * `{{verison}}` reaching a deploy script at 3 a.m.
 */
export function templateString() {
  return z.string().min(1).superRefine(checkPlaceholders);
}
