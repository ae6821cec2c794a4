/**
 * Where people sign in, as the administration sees it (POLICY D18: the directory decides roles; this
 * only lets a person sign in or stops them). In AWS with Cognito, creating a person creates their
 * user in the user pool — Cognito mails the invitation with a temporary password — and deactivating
 * disables it (lib/admin/cognito-directory.ts). Where people sign in through the company's own OIDC
 * provider, or locally (the dev picker), there is nothing to create: the local directory records what
 * it was asked, so a test or the demo can see it.
 *
 * Every call is idempotent — inviting someone who has a user already, or disabling one disabled — so
 * a repeated save converges on the directory's state whatever failed half-way the first time.
 */
export interface IdentityDirectory {
  /** The person may sign in: their user is created (and invited) if they have none, enabled if disabled. */
  invite(person: { email: string; name: string }): Promise<void>;
  /** The person can no longer sign in. */
  disable(email: string): Promise<void>;
}

export type DirectoryCall =
  | { kind: 'invite'; email: string; name: string }
  | { kind: 'disable'; email: string };

/** The local runtime's directory: sign-in is the dev picker, so it only records what it was asked. */
export class RecordingDirectory implements IdentityDirectory {
  readonly calls: DirectoryCall[] = [];

  async invite(person: { email: string; name: string }): Promise<void> {
    this.calls.push({ kind: 'invite', email: person.email, name: person.name });
  }

  async disable(email: string): Promise<void> {
    this.calls.push({ kind: 'disable', email });
  }
}

/**
 * Where fundflow cannot reach the sign-in provider's users itself — the company's own OIDC provider —
 * each call is logged as the administrator's to-do (docs/runbook.md "People and their sign-in"):
 * fundflow's own directory is already right, and a person not active in it can do nothing whatever
 * the provider says.
 */
export class ManualDirectory implements IdentityDirectory {
  constructor(
    private readonly where: string,
    private readonly log: (message: string, details: Record<string, unknown>) => void,
  ) {}

  async invite(person: { email: string; name: string }): Promise<void> {
    this.log('create or enable this person\u2019s sign-in by hand', {
      where: this.where,
      email: person.email,
    });
  }

  async disable(email: string): Promise<void> {
    this.log('disable this person\u2019s sign-in by hand', { where: this.where, email });
  }
}
