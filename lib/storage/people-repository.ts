import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { LegalEntity, Person } from '../domain/model.ts';
import type { PeopleStore } from '../platform/store.ts';
import { keys } from './keys.ts';
import { type Table, withoutKeys } from './table.ts';

/**
 * The directory: people, their roles and their legal entity (DESIGN.md decision 12: roles come from
 * here, not from the sign-in token). A person is stored twice in one transaction — under their email
 * (who is this?) and under their entity (who holds which role here?).
 */
export class PeopleRepository implements PeopleStore {
  constructor(private readonly table: Table) {}

  async get(email: string): Promise<Person | null> {
    const item = await this.table.get(keys.person(email));
    return item ? withoutKeys<Person>(item) : null;
  }

  async listByEntity(entityId: string): Promise<Person[]> {
    const prefix = keys.entityMembersPrefix(entityId);
    const items = await this.table.queryPrefix(prefix.pk, prefix.skPrefix);
    return items.map((item) => withoutKeys<Person>(item)).sort((a, b) => a.email.localeCompare(b.email));
  }

  async put(person: Person): Promise<void> {
    await this.table.client.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: this.table.name, Item: { ...keys.person(person.email), ...person } } },
          {
            Put: {
              TableName: this.table.name,
              Item: { ...keys.entityMember(person.entityId, person.email), ...person },
            },
          },
        ],
      }),
    );
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

  async putEntity(entity: LegalEntity): Promise<void> {
    await this.table.client.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: this.table.name, Item: { ...keys.entity(entity.id), ...entity } } },
          { Put: { TableName: this.table.name, Item: { ...keys.entityListing(entity.id), ...entity } } },
        ],
      }),
    );
  }
}
