/** The reconciliation week as the API shows it, and its report's download. */
import type { AppDeps } from '../app.ts';
import { NotFoundError } from '../domain/errors.ts';
import type { Person } from '../domain/model.ts';
import type { Reconciliation } from '../platform/store.ts';
import { reportKeyOf } from './files.ts';
import { getReconciliation } from './weeks.ts';

export const weekView = (r: Reconciliation) => ({
  week: r.week,
  entityId: r.entityId,
  periodStart: r.periodStart,
  periodEnd: r.periodEnd,
  dueOn: r.dueOn,
  status: r.status,
  inputs: r.inputs.map((input) => ({
    kind: input.kind,
    fileName: input.fileName,
    uploadKey: input.uploadKey,
    version: input.version,
    registeredAt: input.registeredAt,
    registeredBy: input.registeredBy,
    ...(input.statementFiles ? { statementFiles: input.statementFiles } : {}),
  })),
  run: r.run,
  progress: r.progress,
  counts: r.counts,
  open: r.open,
  totals: r.totals,
  ...(r.refusal ? { refusal: r.refusal } : {}),
  ...(r.signedOff ? { signedOff: r.signedOff } : {}),
  policyVersion: r.policyVersion,
});

/** A short-lived link to the last run's XLSX report (404 before a run finished). */
export async function reportDownload(deps: AppDeps, caller: Person, name: string): Promise<string> {
  const week = await getReconciliation(deps, caller, name);
  if (week.status !== 'READY' && week.status !== 'SIGNED_OFF') {
    throw new NotFoundError('这一周还没有对账报告。The week has no report yet.');
  }
  const key = reportKeyOf(week.entityId, week.week, week.run);
  return deps.evidence.presignDownload(key, {
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    contentDisposition: `attachment; filename="reconciliation-${week.entityId}-${week.week}.xlsx"`,
    cacheControl: 'private, no-store',
  });
}
