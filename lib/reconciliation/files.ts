/** Where the reconciliation's own files are stored (the object store; the data folder locally). */
import { WORK_PREFIX } from '../evidence/lifecycle.ts';
import { EVIDENCE_PREFIX } from '../uploads/upload-keys.ts';

/** A run's XLSX report. */
export const reportKeyOf = (entityId: string, week: string, run: number) =>
  `${EVIDENCE_PREFIX}reconciliations/${entityId}/${week}/run-${String(run).padStart(6, '0')}.xlsx`;

/** A pre-filled sales summary, under a new id each time it is asked for. */
export const templateKeyOf = (entityId: string, week: string, id: string, fileName: string) =>
  `${EVIDENCE_PREFIX}reconciliations/${entityId}/${week}/templates/${id}/${fileName}`;

/**
 * A run's working objects: the partitions of its inputs (`p-<n>`, `k-<n>`), each partition's
 * differences and matched lines (`d-<n>`, `m-<n>`) and result (`r-<n>.json`), and the partitioning's
 * manifest (`manifest.json`). Written and read by the workflow's tasks only, and under the working
 * prefix, so they expire by themselves two weeks later (lib/evidence/lifecycle.ts): once the run is
 * merged its differences are in the table and its report beside the week's files.
 */
export const runWorkPrefixOf = (entityId: string, week: string, run: number) =>
  `${WORK_PREFIX}reconciliations/${entityId}/${week}/run-${String(run).padStart(6, '0')}/`;
