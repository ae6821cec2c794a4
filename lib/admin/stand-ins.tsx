/**
 * What the delegations page (POLICY D18) and the travelling approvers' proxies page (D6) share: each
 * lists one person's dated stand-ins — who stands in, between which days (Asia/Shanghai, both
 * included), why, set by whom — with a button that ends a running one now, and has the form of a new
 * one: two people of the entity, two days and a reason.
 */
import type { LocalDate, Person } from '../domain/model.ts';
import {
  Button,
  Buttons,
  type FormError,
  issuesAt,
  SelectField,
  TextArea,
  TextField,
} from '../ui/controls.tsx';
import { shanghaiTime } from '../ui/format.ts';
import { type Label, labelText } from '../ui/labels.ts';
import { CardTable } from '../ui/table.tsx';

/** A stand-in as both pages show it. */
export interface StandIn {
  id: string;
  /** Who stands in (the delegate, the proxy). */
  standIn: string;
  from: LocalDate;
  to: LocalDate;
  reason: string;
  createdBy: string;
  createdAt: string;
  /** When it was ended before its last day, and by whom. */
  endedAt?: string | undefined;
  endedBy?: string | undefined;
}

/** The form's field labels as plain text (the error summary's and the fields' own). */
export function fieldLabels(labels: Record<string, Label>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).map(([field, label]) => [field, labelText(label)]));
}

/** The entity's people as a picker's options, "choose a person" first. */
export function personOptions(people: Person[]): { value: string; label: string }[] {
  return [
    { value: '', label: '请选择 Choose a person' },
    ...people.map((person) => ({ value: person.email, label: `${person.name} (${person.email})` })),
  ];
}

/** Where a stand-in stands on the day; `ended` names an early end (撤销 Revoked, 提前结束 Ended early). */
function stateOf(standIn: StandIn, today: LocalDate, ended: string): string {
  if (standIn.endedAt)
    return `${ended} ${shanghaiTime(standIn.endedAt)}${standIn.endedBy ? ` · ${standIn.endedBy}` : ''}`;
  if (standIn.to < today) return '已结束 Ended';
  if (standIn.from > today) return '未开始 Not started';
  return '生效中 In effect';
}

export function StandInTable(props: {
  rows: StandIn[];
  today: LocalDate;
  nameOf: (email: string) => string;
  /** The stand-in column's heading (被授权人 Delegate, 代录人 Proxy). */
  standInLabel: string;
  /** The `data-` attribute that names a row (for the page's own scripts and tests). */
  rowAttribute: string;
  end: {
    /** The state of one ended early. */
    ended: string;
    /** The column's heading and the button's words. */
    heading: string;
    button: string;
    action: (id: string) => string;
    /** The form's class and its hidden fields (whose stand-in it is). */
    class: string;
    hidden: Record<string, string>;
  };
}) {
  const { today, nameOf, end } = props;
  return (
    <CardTable
      rows={props.rows}
      rowAttributes={(row) => ({ [`data-${props.rowAttribute}`]: row.id })}
      columns={[
        { label: props.standInLabel, cell: (row) => nameOf(row.standIn) },
        { label: '期间 Days', cell: (row) => `${row.from} – ${row.to}` },
        { label: '状态 State', cell: (row) => stateOf(row, today, end.ended) },
        { label: '理由 Reason', cell: (row) => row.reason },
        { label: '设置 Set by', cell: (row) => `${row.createdBy} · ${shanghaiTime(row.createdAt)}` },
        {
          label: end.heading,
          class: 'actions',
          // Only what can still end: not ended, last day not past.
          cell: (row) =>
            !row.endedAt && row.to >= today ? (
              <form method="post" action={end.action(row.id)} class={end.class}>
                {Object.entries(end.hidden).map(([name, value]) => (
                  <input type="hidden" name={name} value={value} />
                ))}
                <Buttons>
                  <Button kind="secondary">{end.button}</Button>
                </Buttons>
              </form>
            ) : (
              '—'
            ),
        },
      ]}
    />
  );
}

/** A new stand-in's fields, named as its API names them. */
export function StandInFields(props: {
  names: { principal: string; standIn: string; from: string; to: string };
  labels: Record<string, string>;
  values: Record<string, string>;
  options: { value: string; label: string }[];
  error?: FormError | undefined;
  hints: { principal?: string; to: string };
}) {
  const { names, labels, values, options, error, hints } = props;
  return (
    <>
      <SelectField
        name={names.principal}
        label={labels[names.principal] ?? ''}
        hint={hints.principal}
        value={values[names.principal]}
        options={options}
        required
        errors={issuesAt(error, names.principal)}
      />
      <SelectField
        name={names.standIn}
        label={labels[names.standIn] ?? ''}
        value={values[names.standIn]}
        options={options}
        required
        errors={issuesAt(error, names.standIn)}
      />
      <TextField
        type="date"
        name={names.from}
        label={labels[names.from] ?? ''}
        hint="今天或以后 today or later"
        value={values[names.from]}
        required
        errors={issuesAt(error, names.from)}
      />
      <TextField
        type="date"
        name={names.to}
        label={labels[names.to] ?? ''}
        hint={hints.to}
        value={values[names.to]}
        required
        errors={issuesAt(error, names.to)}
      />
      <TextArea
        name="reason"
        label={labels.reason ?? ''}
        value={values.reason}
        errors={issuesAt(error, 'reason')}
      />
    </>
  );
}
