import { describe, expect, it } from 'vitest';
import { deployerSchema } from '../../src/config/deployer-schema.js';
import { CommandDeployer } from '../../src/deployers/command/command-deployer.js';
import { createDeployer } from '../../src/deployers/create-deployer.js';
import { NoneDeployer } from '../../src/deployers/none/none-deployer.js';
import { WebhookDeployer } from '../../src/deployers/webhook/webhook-deployer.js';
import { deployerCall } from './deployer-call.js';

describe('createDeployer', () => {
  it('builds the deployer the config names', () => {
    const command = deployerSchema.parse({ type: 'command', stage: 'true', rollback: 'true' });
    const webhook = deployerSchema.parse({ type: 'webhook', url: 'https://deployer.example/hook' });
    expect(createDeployer(command)).toBeInstanceOf(CommandDeployer);
    expect(createDeployer(webhook)).toBeInstanceOf(WebhookDeployer);
    expect(createDeployer({ type: 'none' })).toBeInstanceOf(NoneDeployer);
  });

  it('passes the environment to command deployers', async () => {
    const config = deployerSchema.parse({ type: 'command', stage: 'echo "$ONLY_HERE"', rollback: 'true' });
    const d = createDeployer(config, { env: { PATH: process.env.PATH, ONLY_HERE: 'from deps' } });
    expect(await d.shift(deployerCall())).toMatchObject({ ok: true, output: 'from deps\n' });
  });

  it('passes fetch to webhook deployers', async () => {
    const urls: string[] = [];
    const fetch = (async (url: string | URL | Request) => {
      urls.push(String(url));
      return new Response('fine', { status: 200 });
    }) as typeof globalThis.fetch;
    const config = deployerSchema.parse({ type: 'webhook', url: 'https://deployer.example/hook' });
    expect(await createDeployer(config, { fetch }).promote(deployerCall())).toMatchObject({ ok: true });
    expect(urls).toEqual(['https://deployer.example/hook']);
  });
});

describe('NoneDeployer', () => {
  it('succeeds at once for every action', async () => {
    const d = new NoneDeployer();
    for (const action of [d.shift, d.rollback, d.promote]) {
      expect(await action.call(d)).toEqual({ ok: true, output: 'no deployer configured', durationMs: 0 });
    }
  });
});
