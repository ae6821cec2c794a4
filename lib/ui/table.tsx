/**
 * A table that becomes cards on a phone, by CSS alone (lib/ui/styles.ts, below CARDS_BELOW): every
 * cell carries its column's label (`data-label`), shown beside the value once the header row is
 * hidden, so a narrow screen never scrolls sideways nor squeezes a column to one character.
 */
import type { ComponentChildren, JSX } from 'preact';

export interface Column<T> {
  /** The header, and each cell's label on a phone (empty: no label, the cell spans the card). */
  label: string;
  cell: (row: T) => ComponentChildren;
  /** e.g. `amount` (right-aligned, tabular figures) or `actions` (forms: the label above them). */
  class?: string;
}

export function CardTable<T>(props: {
  columns: readonly Column<T>[];
  rows: readonly T[];
  /** Attributes of each row, e.g. `{ 'data-voucher': id }`. */
  rowAttributes?: (row: T) => Record<string, string>;
  /** A last row under the table (totals), one cell per column (undefined: empty). */
  footer?: readonly (ComponentChildren | undefined)[];
  class?: string;
  caption?: ComponentChildren;
  /** No header row on a wide screen either (a list of two columns that needs none). */
  headless?: boolean;
}): JSX.Element {
  const { columns } = props;
  return (
    <table class={`cards${props.class ? ` ${props.class}` : ''}`}>
      {props.caption && <caption>{props.caption}</caption>}
      {!props.headless && (
        <thead>
          <tr>
            {columns.map((column) => (
              <th class={column.class}>{column.label}</th>
            ))}
          </tr>
        </thead>
      )}
      <tbody>
        {props.rows.map((row) => (
          <tr {...(props.rowAttributes?.(row) ?? {})}>
            {columns.map((column) => (
              <td class={column.class} data-label={column.label || undefined}>
                <div>{column.cell(row)}</div>
              </td>
            ))}
          </tr>
        ))}
      </tbody>
      {props.footer && (
        <tfoot>
          <tr>
            {columns.map((column, index) => {
              const content = props.footer?.[index];
              return (
                <td class={column.class} data-label={content === undefined ? undefined : column.label}>
                  {content !== undefined && <div>{content}</div>}
                </td>
              );
            })}
          </tr>
        </tfoot>
      )}
    </table>
  );
}
