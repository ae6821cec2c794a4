import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { OrderRepository } from './order-repository.ts';
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
}

export function createStore(client: DynamoDBDocumentClient, tableName: string): Store {
  const table = new Table(client, tableName);
  return {
    people: new PeopleRepository(table),
    suppliers: new SupplierRepository(table),
    orders: new OrderRepository(table),
    vouchers: new VoucherRepository(table),
    uploads: new UploadRepository(table),
    settings: new SettingsRepository(table),
  };
}
