/**
 * Orders by file drop (POLICY 3.1; issue 12 §1): a CSV in the import format put into an entity's
 * orders inbox — `evidence/orders-inbox/<entityId>/<name>` in the object store (an S3 prefix whose
 * notifications invoke this in AWS; a folder under the data folder the local runtime watches) — is
 * imported exactly as if posted to `POST /api/orders/import`, and the result is stored beside it as
 * `<name>.result.json`.
 *
 * Primary course:
 *  1. Only a file of an inbox counts; results are no files to import, and a file whose result is
 *     there already was imported (S3 may notify twice; the local watcher looks again after a restart).
 *  2. The bytes must be CSV text (lib/uploads/file-kinds.ts); anything else is refused, in the result.
 *  3. The import runs as the entity's technology department (the role that imports), and its result —
 *     imported, updated, unchanged and the rejected lines — or its refusal is stored beside the file.
 */
import type { AppDeps } from '../app.ts';
import { AppError } from '../domain/errors.ts';
import type { Person } from '../domain/model.ts';
import { toShanghaiIso } from '../domain/time.ts';
import { isCsvText } from '../uploads/file-kinds.ts';
import { EVIDENCE_PREFIX } from '../uploads/upload-keys.ts';
import { type ImportResult, importOrders } from './import-orders.ts';

export const ORDERS_INBOX_PREFIX = `${EVIDENCE_PREFIX}orders-inbox/`;
export const RESULT_SUFFIX = '.result.json';

/** `evidence/orders-inbox/<entityId>/<name>`, the entity an id and the name a plain file name. */
const INBOX_KEY = /^evidence\/orders-inbox\/([A-Za-z0-9_-]{1,64})\/([^/]{1,200})$/;

export type DropResult =
  | ({ status: 'IMPORTED'; file: string; at: string } & ImportResult)
  | {
      status: 'REFUSED';
      file: string;
      at: string;
      error: { code: string; message: string; issues: unknown[] };
    };

export type DropOutcome = DropResult | { status: 'IGNORED' | 'ALREADY_IMPORTED'; file: string };

export const resultKeyOf = (key: string) => `${key}${RESULT_SUFFIX}`;

export async function importDroppedOrders(deps: AppDeps, key: string): Promise<DropOutcome> {
  const match = INBOX_KEY.exec(key);
  if (!match || key.endsWith(RESULT_SUFFIX)) return { status: 'IGNORED', file: key };
  const [, entityId = '', name = ''] = match;
  if (await deps.evidence.head(resultKeyOf(key))) return { status: 'ALREADY_IMPORTED', file: key };
  const bytes = await deps.evidence.get(key);
  if (bytes === null) return { status: 'IGNORED', file: key };
  const at = toShanghaiIso(deps.clock.now());
  let result: DropResult;
  if (!(await deps.store.people.getEntity(entityId))) {
    result = refused(
      key,
      at,
      'UNKNOWN_ENTITY',
      `没有法人实体 ${entityId}。There is no legal entity ${entityId}.`,
    );
  } else if (!(await isCsvText(bytes))) {
    result = refused(
      key,
      at,
      'NOT_CSV',
      `${name} 的内容不是 CSV 文本（UTF-8、逗号分隔），未导入。${name} is not a CSV text file (UTF-8, comma-separated) by its contents; it was not imported.`,
    );
  } else {
    try {
      const summary = await importOrders(deps, inboxActor(entityId), Buffer.from(bytes).toString('utf8'));
      result = { status: 'IMPORTED', file: key, at, ...summary };
    } catch (error) {
      // A refusal of the whole file (the header row, not CSV at all) is its result; anything else is a
      // fault for the retry.
      if (!(error instanceof AppError) || error.statusCode >= 500) throw error;
      result = {
        status: 'REFUSED',
        file: key,
        at,
        error: { code: error.code, message: error.message, issues: error.issues ?? [] },
      };
    }
  }
  await deps.evidence.put({
    key: resultKeyOf(key),
    contentType: 'application/json',
    body: Buffer.from(`${JSON.stringify(result, null, 2)}\n`),
  });
  return result;
}

function refused(file: string, at: string, code: string, message: string): DropResult {
  return { status: 'REFUSED', file, at, error: { code, message, issues: [] } };
}

/** Who a dropped file is imported as: the entity's technology department (the importing role). */
function inboxActor(entityId: string): Person {
  return { email: 'orders-inbox', name: '订单收件箱 Orders inbox', entityId, roles: ['TECH'] };
}
