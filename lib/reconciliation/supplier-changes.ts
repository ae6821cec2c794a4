/**
 * The reconciliation's side of POLICY D8: fundflow's supplier master as the engine reads it, and the
 * supplier change requests a week's MASTER_DATA_CHANGE differences open — never a write to the master.
 */
import type { AppDeps } from '../app.ts';
import { openSupplierChange } from '../suppliers/changes.ts';
import type { ProposedSupplierChange, SupplierDirectory } from './engine.ts';

/** The master from the store, one GetItem per supplier (the engine caches each). */
export function storeSupplierDirectory(deps: Pick<AppDeps, 'store'>): SupplierDirectory {
  return {
    async get(supplierId) {
      const supplier = await deps.store.suppliers.get(supplierId);
      return supplier && { ...supplier };
    },
  };
}

/** Opens (or finds, on a rerun) one PENDING change request per supplier whose sheet line differs. */
export async function openSupplierChangesOfWeek(
  deps: Pick<AppDeps, 'store' | 'clock'>,
  week: string,
  proposals: readonly ProposedSupplierChange[],
): Promise<{ opened: number; existing: number }> {
  let opened = 0;
  for (const proposal of proposals) {
    const result = await openSupplierChange(deps, {
      supplierId: proposal.supplierId,
      proposed: proposal.proposed,
      source: { kind: 'RECONCILIATION', week, file: proposal.at.file, line: proposal.at.line },
      openedBy: 'reconciliation',
    });
    if (result.opened) opened++;
  }
  return { opened, existing: proposals.length - opened };
}
