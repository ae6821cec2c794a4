/** Where the reconciliation's own files are stored (the object store; the data folder locally). */
import { EVIDENCE_PREFIX } from '../uploads/upload-keys.ts';

/** A run's XLSX report. */
export const reportKeyOf = (entityId: string, week: string, run: number) =>
  `${EVIDENCE_PREFIX}reconciliations/${entityId}/${week}/run-${String(run).padStart(6, '0')}.xlsx`;

/** A pre-filled sales summary, under a new id each time it is asked for. */
export const templateKeyOf = (entityId: string, week: string, id: string, fileName: string) =>
  `${EVIDENCE_PREFIX}reconciliations/${entityId}/${week}/templates/${id}/${fileName}`;

/**
 * A run's working objects beside its report: the partitions of its inputs (`p-<n>`, `k-<n>`), each
 * partition's differences and matched lines (`d-<n>`, `m-<n>`) and result (`r-<n>.json`), and the
 * partitioning's manifest (`manifest.json`). Written and read by the workflow's tasks only.
 */
export const runWorkPrefixOf = (entityId: string, week: string, run: number) =>
  `${EVIDENCE_PREFIX}reconciliations/${entityId}/${week}/run-${String(run).padStart(6, '0')}/`;
