import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CalendarOverride, LoadedCalendarYear } from '../domain/calendar.ts';
import type { AuditEvent } from '../domain/model.ts';
import {
  assertPolicyWithinCeilings,
  DEFAULT_POLICY,
  type PolicySettings,
  policyInEffectOn,
} from '../domain/policy.ts';
import { shanghaiDate } from '../domain/time.ts';
import type { CalendarChange, SettingsStore, StoredCalendar } from '../platform/store.ts';
import { keys } from './keys.ts';
import { type Table, withoutKeys } from './table.ts';
import { auditPut, conditionalPut, historyOf, type TransactItem, transact } from './transact.ts';

/**
 * Versioned policy settings per legal entity (POLICY D17) and the admin's calendar overrides
 * (POLICY D16). A document records the policy version it was decided under.
 */
export class SettingsRepository implements SettingsStore {
  constructor(private readonly table: Table) {}

  /**
   * The version in effect at an instant (POLICY D17): the newest whose Asia/Shanghai day has come, a
   * version taking effect at 00:00 of its day; the policy's defaults when none was ever stored.
   */
  async currentPolicy(entityId: string, at: Date): Promise<PolicySettings> {
    return policyInEffectOn(await this.policyVersions(entityId), shanghaiDate(at));
  }

  /** Every stored version of an entity, oldest first (a handful: one a policy change). */
  async policyVersions(entityId: string): Promise<PolicySettings[]> {
    const prefix = keys.policyPrefix(entityId);
    const result = await this.table.client.send(
      new QueryCommand({
        TableName: this.table.name,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': prefix.pk, ':prefix': prefix.skPrefix },
        ConsistentRead: true,
      }),
    );
    // A version stored before a setting existed takes that setting's default.
    return (result.Items ?? []).map((item) => ({
      ...DEFAULT_POLICY,
      ...withoutKeys<PolicySettings & { entityId: string }>(item),
    }));
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

  /**
   * Stores a new policy version; versions are never overwritten, nor stored above the ceilings. With
   * its audit event (an administrator's new version), both in one transaction: a second version of
   * the same number written at the same moment is a ConcurrentUpdateError, and nothing is written.
   */
  async addPolicyVersion(entityId: string, policy: PolicySettings, event?: AuditEvent): Promise<void> {
    assertPolicyWithinCeilings(policy);
    const key = keys.policy(entityId, policy.version);
    const item = { ...key, entityId, ...policy };
    if (event) {
      await transact(this.table, [
        conditionalPut(this.table, item, null),
        auditPut(this.table, key.pk, event),
      ]);
      return;
    }
    await this.table.client.send(
      new PutCommand({
        TableName: this.table.name,
        Item: item,
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async policyHistory(entityId: string): Promise<AuditEvent[]> {
    return historyOf(this.table, keys.policyPrefix(entityId).pk);
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

  async calendarRevision(): Promise<number> {
    const item = await this.table.get(keys.calendarStamp);
    return typeof item?.revision === 'number' ? item.revision : 0;
  }

  async calendar(): Promise<StoredCalendar> {
    const [revision, overrides, years] = await Promise.all([
      this.calendarRevision(),
      this.table.queryPrefix(keys.calendarPrefix.pk, keys.calendarPrefix.skPrefix),
      this.table.queryPrefix(keys.calendarYearsPrefix.pk, keys.calendarYearsPrefix.skPrefix),
    ]);
    return {
      revision,
      overrides: overrides.map((item) => withoutKeys<StoredCalendar['overrides'][number]>(item)),
      years: years.map((item) => withoutKeys<LoadedCalendarYear>(item)),
    };
  }

  async calendarHistory(): Promise<AuditEvent[]> {
    return historyOf(this.table, keys.calendarStamp.pk);
  }

  async changeCalendar(change: CalendarChange): Promise<void> {
    const stamp = {
      Put: {
        TableName: this.table.name,
        Item: { ...keys.calendarStamp, revision: change.expectedRevision + 1 },
        ...(change.expectedRevision === 0
          ? {
              ConditionExpression: 'attribute_not_exists(pk) OR revision = :zero',
              ExpressionAttributeValues: { ':zero': 0 },
            }
          : {
              ConditionExpression: 'revision = :expected',
              ExpressionAttributeValues: { ':expected': change.expectedRevision },
            }),
      },
    };
    const items: TransactItem[] = [stamp, auditPut(this.table, keys.calendarStamp.pk, change.event)];
    if (change.put) {
      items.push({
        Put: {
          TableName: this.table.name,
          Item: { ...keys.calendarOverride(change.put.date), ...change.put },
        },
      });
    }
    if (change.remove) {
      items.push({
        Delete: {
          TableName: this.table.name,
          Key: keys.calendarOverride(change.remove),
          ConditionExpression: 'attribute_exists(pk)',
        },
      });
    }
    if (change.year) {
      items.push({
        Put: { TableName: this.table.name, Item: { ...keys.calendarYear(change.year.year), ...change.year } },
      });
    }
    await transact(this.table, items);
  }
}
