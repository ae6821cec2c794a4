import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ApprovalRepository } from './approval-repository.ts';
import { JobRunRepository } from './job-run-repository.ts';
import { OrderRepository } from './order-repository.ts';
import { OutboxRepository } from './outbox-repository.ts';
import { PeopleRepository } from './people-repository.ts';
import { SettingsRepository } from './settings-repository.ts';
import { SupplierRepository } from './supplier-repository.ts';
import { Table } from './table.ts';
import { UploadRepository } from './upload-repository.ts';
import { VoucherRepository } from './voucher-repository.ts';

/** The repositories over the one table. */
export interface Store {
  people: PeopleRepository;
  suppliers: SupplierRepository;
  orders: OrderRepository;
  vouchers: VoucherRepository;
  uploads: UploadRepository;
  settings: SettingsRepository;
  approvals: ApprovalRepository;
  jobRuns: JobRunRepository;
  /** What changes owe the approval workflow until it is delivered (lib/workflow/outbox.ts). */
  outbox: OutboxRepository;
}

export function createStore(client: DynamoDBDocumentClient, tableName: string): Store {
  const table = new Table(client, tableName);
  const vouchers = new VoucherRepository(table);
  return {
    people: new PeopleRepository(table),
    suppliers: new SupplierRepository(table),
    orders: new OrderRepository(table),
    vouchers,
    approvals: new ApprovalRepository(table, vouchers),
    uploads: new UploadRepository(table),
    settings: new SettingsRepository(table),
    jobRuns: new JobRunRepository(table),
    outbox: new OutboxRepository(table),
  };
}
