/**
 * The administrator's settings pages: the policy versions of the entity (POLICY D17) with the form of
 * a new one, and the working-day calendar's year (D16) — twelve month grids that wrap to one column
 * on a phone — with the override form.
 */
import type { LocalDate, Person } from '../domain/model.ts';
import { fenToYuanString } from '../domain/money.ts';
import { EDITABLE_POLICY_SETTINGS, type PolicySettings, WEEKDAYS } from '../domain/policy.ts';
import { isoDayOfWeek } from '../domain/time.ts';
import {
  Banner,
  Button,
  Buttons,
  Checkbox,
  ErrorSummary,
  type FormError,
  issuesAt,
  SelectField,
  TextField,
} from '../ui/controls.tsx';
import { shanghaiTime } from '../ui/format.ts';
import { eventLabel, labelText } from '../ui/labels.ts';
import { Layout } from '../ui/layout.tsx';
import { CardTable } from '../ui/table.tsx';
import type { CalendarYearView } from './calendar.ts';
import type { PolicyVersionsView } from './policy.ts';

/** Each setting of a version in words, for the form and the table. */
export const POLICY_SETTING_LABELS: Record<(typeof EDITABLE_POLICY_SETTINGS)[number], string> = {
  ceoThresholdFen: '总经理审批起点（元）CEO approves from (yuan)',
  amountCeilingFen: '单张凭单金额上限（元）Largest amount of a voucher (yuan)',
  paymentCutoffHour: '付款截止：时 Payment cutoff: hour',
  paymentCutoffMinute: '付款截止：分 Payment cutoff: minute',
  maxEvidenceBytes: '单个附件最大字节 Largest file (bytes)',
  maxOrdersPerVoucher: '每张凭单最多订单 Orders per voucher, at most',
  maxEvidencePerVoucher: '每张凭单最多附件 Files per voucher, at most',
  maxVersionsPerVoucher: '退回后最多重交次数 Resubmissions, at most',
  approvalRemindersBeforeEscalation: '审批提醒次数（之后上报）Approval reminders before escalating',
  approvalLinkDays: '审批链接有效天数 Approval link valid (days)',
  invoiceRemindersBeforeEscalation: '发票提醒次数（之后告知财务）Invoice reminders before finance hears',
  dailyExportTime: '每日导出时间 Daily export time (HH:mm)',
  reconciliationDueWeekday: '对账截止星期 Reconciliation due weekday',
  reconciliationReminderTime: '对账提醒时间 Reconciliation reminder (HH:mm)',
  invoiceBatchDays: '开票批次日（逗号分隔）Invoice batch days (comma-separated)',
  invoiceBatchCloseHour: '批次截止：时 Batch closes at hour',
  invoiceIssuanceWorkingDays: '财务开票期限（工作日）Finance issues within (working days)',
  invoiceMailingCalendarDays: '寄送登记期限（自然日）Mailing reported within (calendar days)',
};

const STATE_LABELS = {
  IN_EFFECT: '生效中 In effect',
  SCHEDULED: '待生效 Scheduled',
  SUPERSEDED: '已被取代 Superseded',
} as const;

/** A setting as the form shows it: money in yuan, lists comma-separated. */
export function settingText(
  policy: PolicySettings,
  setting: (typeof EDITABLE_POLICY_SETTINGS)[number],
): string {
  const value = policy[setting];
  if (setting === 'ceoThresholdFen' || setting === 'amountCeilingFen')
    return fenToYuanString(value as number);
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

export function PolicyPage(props: {
  person: Person;
  view: PolicyVersionsView;
  today: LocalDate;
  values?: Record<string, string>;
  error?: FormError;
  done?: boolean;
}) {
  const { view, error } = props;
  const values = props.values ?? {
    effectiveFrom: props.today,
    ...Object.fromEntries(
      EDITABLE_POLICY_SETTINGS.map((setting) => [setting, settingText(view.current, setting)]),
    ),
  };
  return (
    <Layout title="制度设置 Policy settings" person={props.person}>
      <h1>制度设置 Policy settings</h1>
      {props.done && (
        <Banner kind="success" role="status" class="confirmation">
          新版本已保存 The new version is saved.
        </Banner>
      )}
      <p>
        当前生效：第 {view.current.version} 版 In effect: version {view.current.version}.
        新版本从所选日期的北京时间 00:00 起生效，之前的单据按其原版本处理。A new version takes effect at 00:00
        Beijing time of its day; documents decided before keep their version.
      </p>
      <p>
        <a href={`/admin/calendar/${props.today.slice(0, 4)}`}>工作日历 Working-day calendar →</a>
      </p>
      <CardTable
        rows={view.versions}
        rowAttributes={(version) => ({ 'data-version': String(version.version) })}
        columns={[
          { label: '版本 Version', cell: (version) => String(version.version) },
          { label: '生效日 From', cell: (version) => version.effectiveFrom ?? '—' },
          { label: '状态 State', cell: (version) => STATE_LABELS[version.state] },
          {
            label: '总经理审批起点 CEO from',
            class: 'amount',
            cell: (version) => settingText(version, 'ceoThresholdFen'),
          },
          {
            label: '付款截止 Cutoff',
            cell: (version) =>
              `${String(version.paymentCutoffHour).padStart(2, '0')}:${String(version.paymentCutoffMinute).padStart(2, '0')}`,
          },
          { label: '批次日 Batch days', cell: (version) => settingText(version, 'invoiceBatchDays') },
        ]}
      />
      <h2>新版本 New version</h2>
      {error && (
        <ErrorSummary error={error} labels={{ effectiveFrom: '生效日 From', ...POLICY_SETTING_LABELS }} />
      )}
      <form method="post" action="/admin/policy">
        <TextField
          type="date"
          name="effectiveFrom"
          label="生效日 Takes effect on"
          hint="今天或以后 today or later"
          value={values.effectiveFrom}
          required
          errors={issuesAt(error, 'effectiveFrom')}
        />
        {EDITABLE_POLICY_SETTINGS.map((setting) =>
          setting === 'reconciliationDueWeekday' ? (
            <SelectField
              name={setting}
              label={POLICY_SETTING_LABELS[setting]}
              value={values[setting]}
              options={WEEKDAYS.map((day) => ({ value: day, label: WEEKDAY_LABELS[day] }))}
              errors={issuesAt(error, setting)}
            />
          ) : (
            <TextField
              name={setting}
              label={POLICY_SETTING_LABELS[setting]}
              value={values[setting]}
              required
              errors={issuesAt(error, setting)}
            />
          ),
        )}
        <Buttons>
          <Button>保存新版本 Save the new version</Button>
        </Buttons>
      </form>
      <History events={view.history} />
    </Layout>
  );
}

const WEEKDAY_LABELS: Record<(typeof WEEKDAYS)[number], string> = {
  MON: '星期一 Monday',
  TUE: '星期二 Tuesday',
  WED: '星期三 Wednesday',
  THU: '星期四 Thursday',
  FRI: '星期五 Friday',
  SAT: '星期六 Saturday',
  SUN: '星期日 Sunday',
};

function History({ events }: { events: PolicyVersionsView['history'] }) {
  if (events.length === 0) return null;
  return (
    <>
      <h2>记录 History</h2>
      <ul class="history">
        {events.map((event) => (
          <li>
            <span class="when">{shanghaiTime(event.at)}</span> {labelText(eventLabel(event.type))} ·{' '}
            {event.actor}
          </li>
        ))}
      </ul>
    </>
  );
}

const MONTHS = Array.from({ length: 12 }, (_, index) => String(index + 1).padStart(2, '0'));

export function CalendarPage(props: {
  person: Person;
  view: CalendarYearView;
  values?: { date?: string; working?: string; reason?: string };
  error?: FormError;
  /** The change was refused for the dates it moves: the form asks to confirm it. */
  needsConfirm?: boolean;
  done?: boolean;
}) {
  const { view, error } = props;
  const values = props.values ?? {};
  const overrides = view.days.filter((day) => day.source === 'OVERRIDE');
  return (
    <Layout title={`工作日历 ${view.year} Calendar`} person={props.person}>
      <h1>工作日历 {view.year} Working-day calendar</h1>
      <p>
        <a href={`/admin/calendar/${view.year - 1}`}>← {view.year - 1}</a> ·{' '}
        <a href={`/admin/calendar/${view.year + 1}`}>{view.year + 1} →</a>
      </p>
      {props.done && (
        <Banner kind="success" role="status" class="confirmation">
          日历已更新 The calendar is updated.
        </Banner>
      )}
      {view.official ? (
        <p>官方安排 Official schedule: {view.officialSource}</p>
      ) : (
        <Banner
          kind="warning"
          role="note"
          title={`${view.year} 年还没有官方节假日安排 No official schedule for ${view.year} yet`}
        >
          <p>
            这一年暂按周一至周五上班计算；国务院公布后请导入全年安排。Until the State Council’s schedule is
            loaded, Monday to Friday count as working days.
          </p>
        </Banner>
      )}
      <p class="legend">
        <span class="month-working">工作日 working</span> <span class="month-off">休息日 off</span>{' '}
        <span class="month-override">调整 changed by an administrator</span>
      </p>
      <div class="months">
        {MONTHS.map((month) => {
          const days = view.days.filter((day) => day.date.slice(5, 7) === month);
          const first = days[0];
          const pad = first ? isoDayOfWeek(first.date) - 1 : 0;
          return (
            <section class="month" data-month={month}>
              <h2>
                {Number(month)} 月 {view.year}-{month}
              </h2>
              <ol>
                {Array.from({ length: pad }, () => (
                  <li class="pad" aria-hidden="true" />
                ))}
                {days.map((day) => (
                  <li
                    class={[
                      day.working ? 'working' : 'off',
                      day.source === 'OVERRIDE' ? 'override' : '',
                      day.source === 'WEEKDAY_FALLBACK' ? 'fallback' : '',
                    ]
                      .filter(Boolean)
                      .join(' ')}
                    data-date={day.date}
                    title={`${day.date} ${day.working ? '工作日 working' : '休息日 off'}${day.reason ? ` · ${day.reason}` : ''}`}
                  >
                    {Number(day.date.slice(8))}
                  </li>
                ))}
              </ol>
            </section>
          );
        })}
      </div>
      <h2>调整一天 Change a day</h2>
      {error && <ErrorSummary error={error} labels={{ date: '日期 Day', reason: '原因 Reason' }} />}
      <form method="post" action={`/admin/calendar/${view.year}`}>
        <TextField
          type="date"
          name="date"
          label="日期 Day"
          value={values.date}
          required
          errors={issuesAt(error, 'date')}
        />
        <SelectField
          name="working"
          label="这一天 That day is"
          value={values.working}
          options={[
            { value: 'false', label: '休息日 a day off' },
            { value: 'true', label: '工作日 a working day' },
          ]}
        />
        <TextField
          name="reason"
          label="原因 Reason"
          value={values.reason}
          required
          errors={issuesAt(error, 'reason')}
        />
        {props.needsConfirm && (
          <Checkbox
            name="confirm"
            value="true"
            label="我已看过上面受影响的单据，仍要保存 I have seen the documents above and save the change anyway"
          />
        )}
        <Buttons>
          <Button>保存 Save</Button>
        </Buttons>
      </form>
      {overrides.length > 0 && (
        <>
          <h2>已有调整 Changes in {view.year}</h2>
          <CardTable
            rows={overrides}
            rowAttributes={(day) => ({ 'data-override': day.date })}
            columns={[
              { label: '日期 Day', cell: (day) => day.date },
              { label: '这一天 That day is', cell: (day) => (day.working ? '工作日 working' : '休息日 off') },
              { label: '原因 Reason', cell: (day) => day.reason ?? '' },
              {
                label: '操作 Action',
                class: 'actions',
                cell: (day) => (
                  <form method="post" action={`/admin/calendar/${view.year}`}>
                    <input type="hidden" name="remove" value={day.date} />
                    <Button kind="secondary">取消调整 Remove</Button>
                  </form>
                ),
              },
            ]}
          />
        </>
      )}
    </Layout>
  );
}
