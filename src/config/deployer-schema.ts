import { z } from 'zod';
import { positiveDurationSchema } from './duration-schema.js';
import { templateString } from './template-variables.js';

/**
 * How releasebot shifts traffic and rolls back. Templates may use {{service}}, {{version}}, {{previousVersion}},
 * {{traffic}}, {{stage}}, {{deployId}}, {{idempotencyKey}}.
 */
export const commandDeployerSchema = z
  .object({
    type: z.literal('command'),
    /** Run at every stage to shift `traffic` percent to the new version. */
    stage: templateString(),
    /** Run to send all traffic back to the previous version. */
    rollback: templateString(),
    /** Optional: run once after the last stage (e.g. to clean up the old version). */
    promote: templateString().optional(),
    timeout: positiveDurationSchema.default(300_000),
    shell: z.string().default('/bin/sh'),
    cwd: z.string().optional(),
    env: z.record(z.string(), z.string()).optional(),
  })
  .strict();

export const webhookDeployerSchema = z
  .object({
    type: z.literal('webhook'),
    url: z.url(),
    /** HMAC-SHA256 key for the `X-Releasebot-Signature` header. */
    secret: z.string().min(1).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    timeout: positiveDurationSchema.default(30_000),
    retries: z.number().int().min(0).max(10).default(3),
  })
  .strict();

const k8sName = z
  .string()
  .regex(
    /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/,
    'expected a Kubernetes name (lower-case letters, digits, `-`, `.`)',
  )
  .max(253);

/**
 * Shifts traffic without a mesh: two Deployments behind one Service (stable and canary), scaled so the canary has
 * `traffic` percent of `replicas`. The canary gets the new image on its first stage; promote rolls the stable
 * Deployment to it and scales the canary to 0; rollback scales the stable back to `replicas` and the canary to 0.
 */
export const kubernetesDeployerSchema = z
  .object({
    type: z.literal('kubernetes'),
    namespace: k8sName,
    /** Deployment serving the current version. */
    stable: k8sName,
    /** Deployment for the new version; its pods share the Service's selector with the stable ones. */
    canary: k8sName,
    /** Pods split between the two Deployments. */
    replicas: z.number().int().min(1).max(10_000),
    /** The new version's image; placeholders as for commands, e.g. `registry.example.com/web:{{version}}`. */
    image: templateString(),
    /** Container whose image is set; default the first. */
    container: z.string().min(1).optional(),
    /** Kubeconfig file; default: $KUBECONFIG, ~/.kube/config, else the in-cluster service account. */
    kubeconfig: z.string().min(1).optional(),
    context: z.string().min(1).optional(),
    /** How long a Deployment may take to have its pods available before the action fails. */
    timeout: positiveDurationSchema.default(300_000),
  })
  .strict();

/** No deploy system to drive: releasebot only judges and records (replay, Argo/Flagger, CI-driven deploys). */
export const noneDeployerSchema = z.object({ type: z.literal('none') }).strict();

export const deployerSchema = z.discriminatedUnion('type', [
  commandDeployerSchema,
  webhookDeployerSchema,
  kubernetesDeployerSchema,
  noneDeployerSchema,
]);

export type DeployerConfig = z.infer<typeof deployerSchema>;
export type CommandDeployerConfig = z.infer<typeof commandDeployerSchema>;
export type WebhookDeployerConfig = z.infer<typeof webhookDeployerSchema>;
export type KubernetesDeployerConfig = z.infer<typeof kubernetesDeployerSchema>;
