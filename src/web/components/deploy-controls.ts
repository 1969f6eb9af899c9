import { apiPost, ApiError } from '../api-client.js';
import type { DeployState, PresentedDeploy } from '../api-types.js';
import { h, replace } from '../dom.js';

type Op = 'pause' | 'resume' | 'rollback' | 'promote';

const LABEL: Record<Op, string> = {
  pause: 'Pause',
  resume: 'Resume',
  rollback: 'Roll back',
  promote: 'Promote',
};
/** Actions that cannot be taken back ask for a second click, with an optional reason for the audit trail. */
const CONFIRM: ReadonlySet<Op> = new Set(['rollback', 'promote']);

/** What can be done to a deploy in each state (the API refuses the rest with DEPLOY_STATE). */
export function operationsFor(state: DeployState): Op[] {
  switch (state) {
    case 'running':
      return ['pause', 'rollback', 'promote'];
    case 'paused':
      return ['resume', 'rollback', 'promote'];
    default:
      return [];
  }
}

/**
 * Pause / Resume / Roll back / Promote. Shown only to users with the deploy scope on the service (the caller
 * checks); the server authorises every call again. `onDone` receives the deploy as the API returned it.
 */
export function deployControls(dep: PresentedDeploy, onDone: (d: PresentedDeploy) => void): HTMLElement {
  const box = h('div', { class: 'controls', 'aria-label': 'Deploy controls' });
  const message = h('div', { class: 'form-message', role: 'status' });
  const send = async (op: Op, reason: string) => {
    for (const b of box.querySelectorAll('button')) b.disabled = true;
    message.textContent = `${LABEL[op]}…`;
    message.className = 'form-message';
    try {
      const body = reason.trim() ? { reason: reason.trim() } : {};
      const { deploy } = await apiPost<{ deploy: PresentedDeploy }>(
        `/api/v1/deploys/${encodeURIComponent(dep.id)}/${op}`,
        body,
      );
      message.textContent = '';
      onDone(deploy);
    } catch (e) {
      message.textContent = e instanceof ApiError ? `${e.message}${e.hint ? ` — ${e.hint}` : ''}` : String(e);
      message.className = 'form-message error';
      for (const b of box.querySelectorAll('button')) b.disabled = false;
    }
  };
  const buttons = () =>
    operationsFor(dep.state).map((op) =>
      h(
        'button',
        {
          type: 'button',
          class: `op op-${op}${op === 'rollback' ? ' danger' : ''}`,
          'data-op': op,
          onclick: () => (CONFIRM.has(op) ? confirmStep(op) : void send(op, '')),
        },
        LABEL[op],
      ),
    );
  const confirmStep = (op: Op) => {
    const reason = h('input', {
      type: 'text',
      name: 'reason',
      placeholder: 'reason (optional, kept in the audit trail)',
      maxlength: 1000,
    });
    replace(
      row,
      h(
        'span',
        null,
        op === 'rollback'
          ? `Roll back ${dep.service} to ${dep.previousVersion ?? 'the previous version'}?`
          : `Promote ${dep.version} to 100% now, skipping the remaining stages?`,
      ),
      reason,
      h(
        'button',
        {
          type: 'button',
          class: `confirm ${op === 'rollback' ? 'danger' : 'primary'}`,
          'data-confirm': op,
          onclick: () => void send(op, reason.value),
        },
        `Confirm ${LABEL[op].toLowerCase()}`,
      ),
      h('button', { type: 'button', onclick: () => replace(row, buttons()) }, 'Cancel'),
    );
    reason.focus();
  };
  const row = h('div', { class: 'control-row' }, buttons());
  replace(box, row, message);
  return box;
}
