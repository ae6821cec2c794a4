import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CalendarOverride } from '../domain/calendar.ts';
import { assertPolicyWithinCeilings, DEFAULT_POLICY, type PolicySettings } from '../domain/policy.ts';
import type { SettingsStore } from '../platform/store.ts';
import { keys } from './keys.ts';
import { type Table, withoutKeys } from './table.ts';

/**
 * Versioned policy settings per legal entity (POLICY D17) and the admin's calendar overrides
 * (POLICY D16). A document records the policy version it was decided under.
 */
export class SettingsRepository implements SettingsStore {
  constructor(private readonly table: Table) {}

  /** The newest policy version of an entity; the policy's defaults when none was ever stored. */
  async currentPolicy(entityId: string): Promise<PolicySettings> {
    const prefix = keys.policyPrefix(entityId);
    const result = await this.table.client.send(
      new QueryCommand({
        TableName: this.table.name,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': prefix.pk, ':prefix': prefix.skPrefix },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = result.Items?.[0];
    // A version stored before a setting existed takes that setting's default.
    return item
      ? { ...DEFAULT_POLICY, ...withoutKeys<PolicySettings & { entityId: string }>(item) }
      : DEFAULT_POLICY;
  }

  /**
   * The policy version a document was decided under (POLICY D17): what later steps of that document
   * apply, whatever version is current by then. The defaults when that version was never stored.
   */
  async policy(entityId: string, version: number): Promise<PolicySettings> {
    const item = await this.table.get(keys.policy(entityId, version));
    return item
      ? { ...DEFAULT_POLICY, ...withoutKeys<PolicySettings & { entityId: string }>(item) }
      : { ...DEFAULT_POLICY, version };
  }

  /** Stores a new policy version; versions are never overwritten, nor stored above the ceilings. */
  async addPolicyVersion(entityId: string, policy: PolicySettings): Promise<void> {
    assertPolicyWithinCeilings(policy);
    await this.table.client.send(
      new PutCommand({
        TableName: this.table.name,
        Item: { ...keys.policy(entityId, policy.version), entityId, ...policy },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async calendarOverrides(): Promise<CalendarOverride[]> {
    const items = await this.table.queryPrefix(keys.calendarPrefix.pk, keys.calendarPrefix.skPrefix);
    return items.map((item) => withoutKeys<CalendarOverride>(item));
  }

  async putCalendarOverride(override: CalendarOverride): Promise<void> {
    await this.table.client.send(
      new PutCommand({
        TableName: this.table.name,
        Item: { ...keys.calendarOverride(override.date), ...override },
      }),
    );
  }
}
