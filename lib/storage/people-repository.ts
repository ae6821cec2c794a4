import type { AuditEvent, LegalEntity, Person } from '../domain/model.ts';
import { isActivePerson } from '../domain/people.ts';
import type { PeopleStore } from '../platform/store.ts';
import { keys } from './keys.ts';
import { type Table, withoutKeys } from './table.ts';
import { auditPut, historyOf, type TransactItem, transact } from './transact.ts';

/**
 * The directory: people, their roles and their legal entity (DESIGN.md decision 12: roles come from
 * here, not from the sign-in token). A person is stored twice in one transaction — under their email
 * (who is this?) and under their entity (who holds which role here?) — with the change's audit event
 * under the person, conditional on the version read; a legal entity likewise, under itself and in the
 * listing of entities.
 */
export class PeopleRepository implements PeopleStore {
  constructor(private readonly table: Table) {}

  async get(email: string): Promise<Person | null> {
    const item = await this.table.get(keys.person(email));
    return item ? withoutKeys<Person>(item) : null;
  }

  async listByEntity(entityId: string, options: { includeInactive?: boolean } = {}): Promise<Person[]> {
    const prefix = keys.entityMembersPrefix(entityId);
    const items = await this.table.queryPrefix(prefix.pk, prefix.skPrefix);
    return items
      .map((item) => withoutKeys<Person>(item))
      .filter((person) => options.includeInactive === true || isActivePerson(person))
      .sort((a, b) => a.email.localeCompare(b.email));
  }

  async save(person: Person, expectedVersion: number | null, event: AuditEvent): Promise<void> {
    const profile = keys.person(person.email);
    await transact(this.table, [
      this.versioned({ ...profile, ...person }, expectedVersion),
      {
        Put: {
          TableName: this.table.name,
          Item: { ...keys.entityMember(person.entityId, person.email), ...person },
        },
      },
      auditPut(this.table, profile.pk, event),
    ]);
  }

  history(email: string): Promise<AuditEvent[]> {
    return historyOf(this.table, keys.person(email).pk);
  }

  async getEntity(entityId: string): Promise<LegalEntity | null> {
    const item = await this.table.get(keys.entity(entityId));
    return item ? withoutKeys<LegalEntity>(item) : null;
  }

  /** Every legal entity of the company (a handful): what the daily jobs go through. */
  async listEntities(): Promise<LegalEntity[]> {
    const listing = keys.entityListing('');
    const items = await this.table.queryPrefix(listing.pk, listing.sk);
    return items.map((item) => withoutKeys<LegalEntity>(item));
  }

  async saveEntity(entity: LegalEntity, expectedVersion: number | null, event: AuditEvent): Promise<void> {
    const profile = keys.entity(entity.id);
    await transact(this.table, [
      this.versioned({ ...profile, ...entity }, expectedVersion),
      { Put: { TableName: this.table.name, Item: { ...keys.entityListing(entity.id), ...entity } } },
      auditPut(this.table, profile.pk, event),
    ]);
  }

  entityHistory(entityId: string): Promise<AuditEvent[]> {
    return historyOf(this.table, keys.entity(entityId).pk);
  }

  /**
   * Put only if absent (null), or while the stored version is the one read — a record stored before
   * versions were kept has none, which is version 0.
   */
  private versioned(item: Record<string, unknown>, expectedVersion: number | null): TransactItem {
    if (expectedVersion === null) {
      return {
        Put: { TableName: this.table.name, Item: item, ConditionExpression: 'attribute_not_exists(pk)' },
      };
    }
    return {
      Put: {
        TableName: this.table.name,
        Item: item,
        ConditionExpression:
          expectedVersion === 0
            ? 'attribute_exists(pk) AND attribute_not_exists(#version)'
            : '#version = :expected',
        ExpressionAttributeNames: { '#version': 'version' },
        ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':expected': expectedVersion } }),
      },
    };
  }
}
