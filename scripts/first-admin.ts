/**
 * The first administrator of a fresh deployment (docs/runbook.md "Deploy"): their legal entity, if
 * it is not there yet, and the person with the ADMIN role — each written as the administration API
 * writes them (conditionally, with its audit event, actor `runbook`). After this, everyone else is
 * added from the People page or `POST /api/people`.
 *
 *   npx tsx scripts/first-admin.ts --table <TableName> --region <region> \
 *     --entity lianshang-sh --entity-name '链尚网络科技（上海）有限公司' --uscc 91350100M000100Y43 \
 *     --email admin@example.com --name '管理员 Admin'
 */
import { parseArgs } from 'node:util';
import { toShanghaiIso } from '../lib/domain/time.ts';
import { isValidUscc } from '../lib/domain/uscc.ts';
import { createDocumentClient } from '../lib/storage/dynamo-client.ts';
import { createStore } from '../lib/storage/store.ts';

const { values } = parseArgs({
  options: {
    table: { type: 'string' },
    region: { type: 'string' },
    endpoint: { type: 'string' },
    entity: { type: 'string' },
    'entity-name': { type: 'string' },
    uscc: { type: 'string' },
    email: { type: 'string' },
    name: { type: 'string' },
  },
});
const { table, entity, uscc, email, name } = values;
const entityName = values['entity-name'];
if (!table || !entity || !entityName || !uscc || !email || !name) {
  console.error('usage: --table --entity --entity-name --uscc --email --name [--region] [--endpoint]');
  process.exit(2);
}
if (!isValidUscc(uscc)) {
  console.error(`${uscc} is not a unified social credit code (18 characters with its check character)`);
  process.exit(2);
}
const store = createStore(
  createDocumentClient({ ...(values.region ? { region: values.region } : {}), endpoint: values.endpoint }),
  table,
);
const event = (type: string) => ({ at: toShanghaiIso(new Date()), actor: 'runbook', type, version: 1 });
if (!(await store.people.getEntity(entity))) {
  await store.people.saveEntity(
    { id: entity, name: entityName, taxId: uscc, version: 1 },
    null,
    event('ENTITY_CREATED'),
  );
  console.log(`entity ${entity} created`);
}
const person = {
  email: email.toLowerCase(),
  name,
  entityId: entity,
  roles: ['ADMIN' as const],
  active: true,
  version: 1,
};
await store.people.save(person, null, event('PERSON_CREATED'));
console.log(`${person.email} is an administrator of ${entity}`);
