/**
 * The ports every use case receives as `deps` (STYLE: no module patching; handlers wire the real
 * adapters once). AWS wiring: lib/runtime/lambda.ts (one adapter per need, lib/runtime/adapters/). Local wiring: lib/local/runtime.ts.
 */
import type { IdentityDirectory } from './admin/identity-directory.ts';
import type { EvidenceStore } from './evidence/evidence-store.ts';
import type { OidcSignIn } from './identity/sign-in.ts';
import type { DnsResolver } from './mail/dns.ts';
import type { Mailer } from './mail/mailer.ts';
import type { Store } from './platform/store.ts';
import type { WorkflowOutbox } from './workflow/outbox.ts';
import type { TaskTokens, Workflows } from './workflow/ports.ts';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** What a verified sign-in token says about its holder. */
export interface Claims {
  email: string;
  sub: string;
  /** When the token expires, where the verifier knows it: the pages refresh a session before then. */
  expiresAt?: Date;
}

export interface SessionVerifier {
  /** Verifies a session token (cookie) and returns its claims; throws UnauthorizedError otherwise. */
  verify(token: string): Promise<Claims>;
}

export interface AppDeps {
  clock: Clock;
  store: Store;
  evidence: EvidenceStore;
  sessions: SessionVerifier;
  mailer: Mailer;
  /** Step Functions, every state machine: only the outbox's delivery and the workflows' own tasks talk to it. */
  workflow: Workflows;
  taskTokens: TaskTokens;
  /** DNS TXT lookups: the DKIM keys that prove a consent email's sender (POLICY D6). */
  dns: DnsResolver;
  /** Told after a change that owes the workflow a start or an answer (lib/workflow/outbox.ts). */
  workflowOutbox: WorkflowOutbox;
  /** HMAC key of the email approval links (Secrets Manager in AWS, the data folder locally). */
  linkKey: string;
  /** The public base URL emails link to, e.g. https://api.example.com (no trailing slash). */
  publicBaseUrl: string;
  /** Where people sign in when a page needs a session. */
  signInUrl: string;
  /**
   * AWS: sign-in through the provider's login page (lib/identity/sign-in.ts). Absent locally, where
   * the sign-in page is the demo picker below.
   */
  signIn?: OidcSignIn;
  /**
   * Where people sign in (lib/admin/identity-directory.ts): Cognito's user pool in AWS, a recording
   * stand-in locally; creating a person invites them, deactivating them disables their sign-in.
   */
  identityDirectory: IdentityDirectory;
  /** Local runtime only: the sign-in page offers the demo directory of this entity, posting to `action`. */
  devSignIn?: { entityId: string; action: string };
}
