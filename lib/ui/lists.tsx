/**
 * A list's filter bar and its totals line, one shape for every list that filters by a day range,
 * sorts, and exports what it shows (my vouchers, the entity's vouchers, payments missing their
 * invoice): a GET form, so a filtered list is a link; the export link carries the same filters.
 */
import type { ComponentChildren } from 'preact';
import {
  Button,
  Buttons,
  ErrorSummary,
  type FormError,
  issuesAt,
  SelectField,
  TextField,
} from './controls.tsx';
import { yuan } from './format.ts';

export function ListFilters<Sort extends string>(props: {
  /** The list's own address (the form's GET target). */
  action: string;
  /** What the day range is of: `提交日期从 Submitted from`, `付款日期从 Paid from`. */
  fromLabel: string;
  values: { from: string; to: string; sort: Sort };
  sorts: Readonly<Record<Sort, string>>;
  /** The same list as an XLSX file, with the same filters. */
  exportHref: string;
  error?: FormError | undefined;
  /** Filters of the list's own before the day range (whose, status). */
  children?: ComponentChildren;
}) {
  const { values, error } = props;
  return (
    <>
      {error && <ErrorSummary error={error} title="无法筛选 Cannot filter" />}
      <form method="get" action={props.action} class="card filters">
        {props.children}
        <TextField
          name="from"
          type="date"
          label={props.fromLabel}
          value={values.from}
          errors={issuesAt(error, 'from')}
        />
        <TextField name="to" type="date" label="到 to" value={values.to} errors={issuesAt(error, 'to')} />
        <SelectField
          name="sort"
          label="排序 Sort"
          value={values.sort}
          options={(Object.entries(props.sorts) as [Sort, string][]).map(([value, label]) => ({
            value,
            label,
          }))}
        />
        <Buttons>
          <Button>筛选 Filter</Button>
          <a class="btn btn-secondary" href={props.exportHref}>
            导出 Excel Export to Excel
          </a>
        </Buttons>
      </form>
    </>
  );
}

/**
 * `共 3 张，合计 ¥1,234.00。3 vouchers, ¥1,234.00 in all.`, and when the list was cut at its limit,
 * what to narrow. The count and amount are also attributes, for the pages' tests and scripts.
 */
export function ListTotals(props: {
  count: number;
  amountFen: number;
  /** The measure word and the English noun: `{ zh: '张', en: ['voucher', 'vouchers'] }`. */
  unit: { zh: string; en: readonly [string, string] };
  truncated: boolean;
  /** What to narrow when truncated: `{ zh: '日期或状态', en: 'the days or the status' }`. */
  narrow: { zh: string; en: string };
}) {
  const { count, amountFen, unit } = props;
  return (
    <p class="list-totals" data-count={String(count)} data-amount-fen={String(amountFen)}>
      共 {count} {unit.zh}，合计 {yuan(amountFen)}。{count} {count === 1 ? unit.en[0] : unit.en[1]},{' '}
      {yuan(amountFen)} in all.
      {props.truncated &&
        ` 只显示前 ${count} ${unit.zh}，请缩小${props.narrow.zh}。Only the first ${count} are shown: narrow ${props.narrow.en}.`}
    </p>
  );
}
