import { describe, expect, it } from 'vitest';
import type { LifecycleEvent, StoredEvent } from '../../../src/events/lifecycle-event.js';
import { renderEventReply } from '../../../src/notify/slack/render-event-reply.js';
import { breachCheck, deployRef, T0 } from '../support/notify-fixtures.js';

const stored = (event: LifecycleEvent, actor = 'releasebot'): StoredEvent => ({
  seq: 1,
  at: T0,
  actor,
  deployId: 'd-1',
  service: 'webapp',
  event,
});

describe('renderEventReply', () => {
  it('says which checks lack data, and that missing data is not a pass', () => {
    const noData = {
      ...breachCheck,
      verdict: 'no_data' as const,
      reason: 'no samples for 3m',
      evidence: { note: 'source down' },
    };
    const msg = renderEventReply(stored({ type: 'check:no_data', deploy: deployRef(), checks: [noData] }));
    expect(msg?.text).toBe('Metrics missing for error-ratio; missing data is never read as a pass');
    expect(msg?.blocks).toEqual([
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: ':grey_question: *Metrics missing* for error-ratio; missing data is never read as a pass\n• error-ratio: no samples for 3m',
        },
      },
    ]);
  });

  it('shows the end of a failed deployer’s output in a code block, escaped', () => {
    const output = `${'x'.repeat(2000)}\nError: <rollout> stuck & timed out`;
    const msg = renderEventReply(
      stored({ type: 'deployer:failed', deploy: deployRef(), action: 'shift', output }),
    );
    expect(msg?.text).toBe('Deployer failed (shift)');
    const code = msg?.blocks[1];
    expect(code?.type).toBe('section');
    const text = code?.type === 'section' ? code.text?.text : '';
    expect(text?.startsWith('```…')).toBe(true);
    expect(text?.endsWith('Error: &lt;rollout&gt; stuck &amp; timed out```')).toBe(true);
    expect(text!.length).toBeLessThan(1600);
  });

  it('leaves started and queued to the deploy message, and names who paused', () => {
    expect(renderEventReply(stored({ type: 'deploy:started', deploy: deployRef() }))).toBeNull();
    const paused = renderEventReply(
      stored(
        { type: 'deploy:paused', deploy: deployRef(), kind: 'manual', reason: 'checking <logs>' },
        'alice',
      ),
    );
    expect(paused?.text).toBe('Paused (manual) by alice: checking &lt;logs&gt;');
  });
});
