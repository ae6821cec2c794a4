import { inject } from 'vitest';
import type { SynthesizedStateMachine } from '../../lib/local/synthesized-workflows.ts';

/**
 * The app's state machines as the run's global setup synthesized them (test/support/global-setup.ts),
 * for `createLocalApp`/`startLocalRuntime`; nothing in a project without that setup (the unit tests),
 * where the app synthesizes them itself.
 */
export function synthesizedOnce(): { stateMachines?: readonly SynthesizedStateMachine[] } {
  const stateMachines = inject('stateMachines') as SynthesizedStateMachine[] | undefined;
  return stateMachines ? { stateMachines } : {};
}
