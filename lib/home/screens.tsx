/** The start of the signed-in pages: the sign-in page and the home page, in the UI kit (lib/ui). */
import { hasRole } from '../domain/access.ts';
import type { Person, Role, Voucher } from '../domain/model.ts';
import { Banner, Button, Buttons, SelectField } from '../ui/controls.tsx';
import { shanghaiTime, yuan } from '../ui/format.ts';
import { labelText, ROLE_LABELS, STEP_LABELS } from '../ui/labels.ts';
import { Layout } from '../ui/layout.tsx';
import { CardTable } from '../ui/table.tsx';
import { type Totals, totalOf, type WaitingForMe } from './waiting.ts';

const rolesText = (roles: readonly Role[]) => roles.map((role) => labelText(ROLE_LABELS[role])).join('、');

export function SignInPage(props: { people?: Person[]; action?: string; message?: string }) {
  return (
    <Layout title="登录 Sign in">
      <h1>登录 Sign in</h1>
      {props.message && (
        <Banner kind="error" role="alert">
          <p>{props.message}</p>
        </Banner>
      )}
      {props.people && props.action ? (
        <form method="post" action={props.action} class="card">
          <p class="muted">
            本地演示：选择一位演示人员登录。Local demo: pick a person of the demo directory.
          </p>
          <SelectField
            name="email"
            label="人员 Person"
            required
            // The demo starts where a voucher does: with the merchandiser who submits it.
            value={props.people.find((person) => person.roles.includes('MERCHANDISER'))?.email}
            options={props.people.map((person) => ({
              value: person.email,
              label: `${person.name} — ${rolesText(person.roles)} (${person.email})`,
            }))}
          />
          <Buttons>
            <Button>登录 Sign in</Button>
          </Buttons>
        </form>
      ) : (
        <p class="card">请使用公司账号登录。Sign in with your company account.</p>
      )}
    </Layout>
  );
}

/** Roles whose work in fundflow reaches them as email links (DESIGN: human steps are callbacks). */
const APPROVING_ROLES: Role[] = ['HEAD_OF_MERCHANDISING', 'CEO', 'FINANCE_REVIEWER'];

/** `3 张 vouchers · ¥1,234.00`: how much waits, in a section's heading. */
function Count({ totals }: { totals: Totals }) {
  return (
    <small class="totals" data-count={String(totals.count)} data-amount-fen={String(totals.amountFen)}>
      {' '}
      {totals.count} 张 voucher{totals.count === 1 ? '' : 's'} · {yuan(totals.amountFen)}
    </small>
  );
}

const numberOf = (voucher: Pick<Voucher, 'id' | 'number'>) => voucher.number ?? voucher.id;

function VoucherLink({ voucher }: { voucher: Pick<Voucher, 'id' | 'number'> }) {
  return (
    <a href={`/vouchers/${voucher.id}`} class="number">
      {numberOf(voucher)}
    </a>
  );
}

export function HomePage({ person, waiting }: { person: Person; waiting: WaitingForMe }) {
  const merchandiser = hasRole(person, 'MERCHANDISER');
  const { approvals, toEdit, invoices, run, failed } = waiting;
  const nothing =
    approvals.length === 0 &&
    toEdit.length === 0 &&
    invoices.length === 0 &&
    (run === undefined || run.dueToday.count + run.overdue.count === 0) &&
    (failed === undefined || failed.length === 0);
  return (
    <Layout title="待我处理 Waiting for me" person={person}>
      <h1>待我处理 Waiting for me</h1>
      <p class="muted">
        {person.name} · {rolesText(person.roles)}
      </p>
      {nothing && (
        <p class="card" data-testid="nothing-waiting">
          现在没有等您处理的事项。Nothing is waiting for you now.
        </p>
      )}
      {(approvals.length > 0 || hasRole(person, ...APPROVING_ROLES)) && (
        <section aria-labelledby="approvals" data-section="approvals">
          <h2 id="approvals">
            待我审批 Approvals awaiting me
            <Count totals={totalOf(approvals.map((item) => item.voucher))} />
          </h2>
          {approvals.length === 0 ? (
            <p class="muted">没有等您审批的凭单。No voucher waits for your decision.</p>
          ) : (
            <>
              <p class="muted">
                打开后请核对凭单并按下按钮才算审批。Each page shows the voucher; nothing is decided until you
                press a button there.
              </p>
              <CardTable
                rows={approvals}
                rowAttributes={(item) => ({ 'data-voucher': item.voucher.id })}
                columns={[
                  {
                    label: '凭单 Voucher',
                    cell: (item) => (
                      <a href={item.link} class="number">
                        {numberOf(item.voucher)}
                      </a>
                    ),
                  },
                  { label: '审批 Step', cell: (item) => labelText(STEP_LABELS[item.step]) },
                  { label: '供应商 Supplier', cell: (item) => item.voucher.supplierName },
                  { label: '金额 Amount', class: 'amount', cell: (item) => yuan(item.voucher.amountFen) },
                  { label: '等待自 Waiting since', cell: (item) => shanghaiTime(item.voucher.updatedAt) },
                ]}
              />
            </>
          )}
        </section>
      )}
      {run && (
        <section aria-labelledby="run" data-section="run">
          <h2 id="run">今日付款 Today’s payments</h2>
          <div class="card">
            <dl>
              <dt>今日到期 Due today</dt>
              <dd data-testid="due-today">
                <Count totals={run.dueToday} />
              </dd>
              <dt>逾期未付 Overdue</dt>
              <dd data-testid="overdue">
                <Count totals={run.overdue} />
              </dd>
            </dl>
            <p>
              <a href={`/payment-runs/${waiting.today}`}>
                打开今日付款批次 Open today’s run ({waiting.today})
              </a>
            </p>
          </div>
        </section>
      )}
      {failed && (
        <section aria-labelledby="failed" data-section="failed">
          <h2 id="failed">
            付款失败，待财务处理 Failed payments for finance
            <Count totals={totalOf(failed)} />
          </h2>
          {failed.length === 0 ? (
            <p class="muted">没有付款失败的凭单。No payment failed.</p>
          ) : (
            <CardTable
              rows={failed}
              rowAttributes={(voucher) => ({ 'data-voucher': voucher.id })}
              columns={[
                { label: '凭单 Voucher', cell: (voucher) => <VoucherLink voucher={voucher} /> },
                { label: '供应商 Supplier', cell: (voucher) => voucher.supplierName },
                { label: '金额 Amount', class: 'amount', cell: (voucher) => yuan(voucher.amountFen) },
                { label: '原因 Reason', cell: (voucher) => voucher.payment?.failureReason ?? '' },
              ]}
            />
          )}
        </section>
      )}
      {merchandiser && (
        <section aria-labelledby="to-edit" data-section="to-edit">
          <h2 id="to-edit">
            退回待修改 Rejected or returned, to edit
            <Count totals={totalOf(toEdit.map((item) => item.voucher))} />
          </h2>
          {toEdit.length === 0 ? (
            <p class="muted">没有退回的凭单。No voucher came back to you.</p>
          ) : (
            <CardTable
              rows={toEdit}
              rowAttributes={(item) => ({ 'data-voucher': item.voucher.id })}
              columns={[
                { label: '凭单 Voucher', cell: (item) => <VoucherLink voucher={item.voucher} /> },
                { label: '供应商 Supplier', cell: (item) => item.voucher.supplierName },
                { label: '金额 Amount', class: 'amount', cell: (item) => yuan(item.voucher.amountFen) },
                {
                  label: '原因 Reason',
                  cell: (item) =>
                    item.rejection
                      ? `${item.rejection.step === 'PAYMENT' ? '付款失败后退回 Returned after a failed payment' : '已退回 Rejected'} — ${item.rejection.by}: ${item.rejection.reason}`
                      : '',
                },
                {
                  label: '',
                  class: 'actions',
                  cell: (item) => (
                    <a class="btn btn-secondary" href={`/vouchers/${item.voucher.id}/edit`}>
                      修改 Edit
                    </a>
                  ),
                },
              ]}
            />
          )}
        </section>
      )}
      {merchandiser && (
        <section aria-labelledby="invoices" data-section="invoices">
          <h2 id="invoices">
            待登记供应商发票 Supplier invoices to record
            <Count totals={totalOf(invoices)} />
          </h2>
          {invoices.length === 0 ? (
            <p class="muted">没有缺发票的付款。No payment is missing its invoice.</p>
          ) : (
            <CardTable
              rows={invoices}
              rowAttributes={(voucher) => ({ 'data-voucher': voucher.id })}
              columns={[
                { label: '凭单 Voucher', cell: (voucher) => <VoucherLink voucher={voucher} /> },
                { label: '供应商 Supplier', cell: (voucher) => voucher.supplierName },
                { label: '金额 Amount', class: 'amount', cell: (voucher) => yuan(voucher.amountFen) },
                { label: '付款日 Paid on', cell: (voucher) => voucher.payment?.paidOn ?? '' },
              ]}
            />
          )}
        </section>
      )}
      {merchandiser && (
        <ul class="links">
          <li>
            <a href="/vouchers/new">提交付款凭单 Submit a payment voucher</a>
          </li>
          <li>
            <a href="/vouchers">我的付款凭单 My vouchers</a>
          </li>
        </ul>
      )}
    </Layout>
  );
}
