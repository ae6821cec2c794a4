/** The wiring of the store's ports (lib/platform/store.ts) to their DynamoDB classes, over one table. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Store } from '../platform/store.ts';
import { ApprovalRepository } from './approval-repository.ts';
import { AuditRepository } from './audit-repository.ts';
import { BankFileRepository } from './bank-file-repository.ts';
import { DailyExportRepository } from './daily-export-repository.ts';
import { InvoiceBatchRepository, InvoiceRequestRepository } from './invoice-request-repository.ts';
import { JobRunRepository } from './job-run-repository.ts';
import { OrderRepository } from './order-repository.ts';
import { OutboxRepository } from './outbox-repository.ts';
import { PeopleRepository } from './people-repository.ts';
import { ReconciliationRepository } from './reconciliation-repository.ts';
import { SettingsRepository } from './settings-repository.ts';
import { SupplierChangeRepository } from './supplier-change-repository.ts';
import { SupplierRepository } from './supplier-repository.ts';
import { Table } from './table.ts';
import { UploadRepository } from './upload-repository.ts';
import { VoucherRepository } from './voucher-repository.ts';
import { WaitRepository } from './wait-repository.ts';

export type { Store };

export function createStore(client: DynamoDBDocumentClient, tableName: string): Store {
  const table = new Table(client, tableName);
  return {
    people: new PeopleRepository(table),
    suppliers: new SupplierRepository(table),
    supplierChanges: new SupplierChangeRepository(table),
    orders: new OrderRepository(table),
    vouchers: new VoucherRepository(table),
    approvals: new ApprovalRepository(table),
    uploads: new UploadRepository(table),
    settings: new SettingsRepository(table),
    jobRuns: new JobRunRepository(table),
    waits: new WaitRepository(table),
    outbox: new OutboxRepository(table),
    invoiceRequests: new InvoiceRequestRepository(table),
    invoiceBatches: new InvoiceBatchRepository(table),
    bankFiles: new BankFileRepository(table),
    dailyExports: new DailyExportRepository(table),
    reconciliations: new ReconciliationRepository(table),
    audit: new AuditRepository(table),
  };
}
