import type { AuditEvent } from '../domain/model.ts';
import type { AuditRecord, AuditStore, AuditSubject, DayRange, Page } from '../platform/store.ts';
import { auditActorPartition } from './keys.ts';
import { type Item, type Table, withoutKeys } from './table.ts';

/** The aggregate an event's partition names (`VOUCHER#<id>`, …): what the audit view links to. */
const SUBJECTS: Record<string, AuditSubject['kind']> = {
  VOUCHER: 'voucher',
  SUPPLIER: 'supplier',
  PERSON: 'person',
  ENTITY: 'entity',
  ORDER: 'order',
  INVREQ: 'invoiceRequest',
  INVBATCH: 'invoiceBatch',
};

function subjectOf(pk: string): AuditSubject {
  const at = pk.indexOf('#');
  const kind = at > 0 ? SUBJECTS[pk.slice(0, at)] : undefined;
  return kind ? { kind, id: pk.slice(at + 1) } : { kind: 'other', id: pk };
}

/**
 * The audit trail by actor (index `auditByActor`, docs/data-model.md): a Query of one actor's
 * partition, newest first, `BETWEEN` the first instant of `from` and the last of `to` (instants are
 * `+08:00` strings, so Asia/Shanghai days are prefixes).
 */
export class AuditRepository implements AuditStore {
  constructor(private readonly table: Table) {}

  async byActor(
    actor: string,
    options: { days?: DayRange; limit: number; cursor?: string },
  ): Promise<Page<AuditRecord>> {
    const from = options.days?.from ?? '0000-01-01';
    // `~` sorts after every character of an instant: the whole of `to` is below `<to>~`.
    const to = `${options.days?.to ?? '9999-12-31'}~`;
    const page = await this.table.queryPage(
      {
        IndexName: 'auditByActor',
        KeyConditionExpression: 'auditActorPk = :pk AND auditActorSk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': auditActorPartition(actor), ':from': from, ':to': to },
        ScanIndexForward: false,
        Limit: options.limit,
      },
      options.cursor,
    );
    return { items: page.items.map(recordOf), nextCursor: page.nextCursor };
  }
}

function recordOf(item: Item): AuditRecord {
  return { ...withoutKeys<AuditEvent>(item), subject: subjectOf(String(item.pk)) };
}
