/** The weekly reconciliation's page (POLICY 3.2, D11): one week of the person's entity. */
import type { Person } from '../domain/model.ts';
import type { Reconciliation, StoredDifference } from '../platform/store.ts';
import { shanghaiTime, yuan } from '../ui/format.ts';
import {
  DIFFERENCE_STATUS_LABELS,
  labelText,
  RECONCILIATION_CATEGORY_LABELS,
  RECONCILIATION_STATUS_LABELS,
} from '../ui/labels.ts';
import { Layout } from '../ui/layout.tsx';
import { CardTable } from '../ui/table.tsx';

const KIND_LABELS: Record<string, string> = {
  SALES_SUMMARY: '销售情况汇总表 Sales summary',
  MASTER_DATA: '供应商客户信息维护表 Master-data sheet',
  ALIPAY_STATEMENT: '支付宝对账单 Alipay statement',
};

const sideText = (side: StoredDifference['sides'][number] | undefined) => {
  if (!side || side.value === null) return '—';
  const value = typeof side.value === 'number' ? yuan(side.value) : side.value;
  return side.at ? `${value}（${side.at.file} 第 ${side.at.line} 行 line ${side.at.line}）` : value;
};

export function ReconciliationPage(props: {
  person: Person;
  week: Reconciliation;
  differences: StoredDifference[];
  category: string | undefined;
  nextCursor: string | null;
}) {
  const { week } = props;
  const title = `周对账 Weekly reconciliation ${week.week}`;
  const categories = Object.entries(week.counts).filter(([, count]) => count > 0);
  return (
    <Layout title={title} person={props.person}>
      <h1>{title}</h1>
      <p>
        {`${shanghaiTime(week.periodStart)} – ${shanghaiTime(week.periodEnd)}`}；截止 {week.dueOn} due.{' '}
        <strong data-status={week.status.toLowerCase()}>
          {labelText(RECONCILIATION_STATUS_LABELS[week.status])}
        </strong>
      </p>
      {week.signedOff && (
        <p class="card">
          {`已由 ${week.signedOff.by} 于 ${shanghaiTime(week.signedOff.at)} 签核。Signed off by ${week.signedOff.by} at ${shanghaiTime(week.signedOff.at)}.`}
        </p>
      )}
      <h2>文件 Files</h2>
      {week.inputs.length === 0 ? (
        <p class="card">还没有登记文件。No file registered yet.</p>
      ) : (
        <CardTable
          rows={week.inputs}
          columns={[
            { label: '类别 Kind', cell: (input) => KIND_LABELS[input.kind] ?? input.kind },
            { label: '文件 File', cell: (input) => input.fileName },
            { label: '版本 Version', class: 'amount', cell: (input) => String(input.version) },
            {
              label: '登记 Registered',
              cell: (input) => `${input.registeredBy} ${shanghaiTime(input.registeredAt)}`,
            },
          ]}
        />
      )}
      {(week.status === 'READY' || week.status === 'SIGNED_OFF') && (
        <p>
          <a href={`/reconciliations/${week.week}/report`} data-report="xlsx">
            下载对账报告（Excel） Download the report (Excel)
          </a>
        </p>
      )}
      <h2>差异 Differences</h2>
      {categories.length > 0 && (
        <nav aria-label="差异类别 Categories" class="no-print">
          <a href={`/reconciliations/${week.week}`}>全部 All</a>
          {categories.map(([category, count]) => (
            <>
              {' · '}
              <a href={`/reconciliations/${week.week}?category=${category}`} data-category={category}>
                {`${labelText(RECONCILIATION_CATEGORY_LABELS[category] ?? { zh: '其他', en: 'Other' })} (${count})`}
              </a>
            </>
          ))}
        </nav>
      )}
      {props.differences.length === 0 ? (
        <p class="card">没有差异。No differences.</p>
      ) : (
        <CardTable
          rows={props.differences}
          rowAttributes={(d) => ({ 'data-difference': d.orderId ?? d.supplierId ?? '' })}
          columns={[
            {
              label: '类别 Category',
              cell: (d) =>
                labelText(RECONCILIATION_CATEGORY_LABELS[d.category] ?? { zh: '其他', en: 'Other' }),
            },
            { label: '订单/供应商 Order / supplier', cell: (d) => d.orderId ?? d.supplierId ?? '—' },
            { label: '一方 One side', cell: (d) => sideText(d.sides[0]) },
            { label: '另一方 Other side', cell: (d) => sideText(d.sides[1]) },
            { label: '说明 Note', cell: (d) => d.note },
            {
              label: '状态 Status',
              cell: (d) =>
                `${labelText(DIFFERENCE_STATUS_LABELS[d.status])}${d.resolution ? `：${d.resolution.note}` : ''}`,
            },
          ]}
        />
      )}
      {props.nextCursor && (
        <p>
          <a
            href={`/reconciliations/${week.week}?${new URLSearchParams({ ...(props.category ? { category: props.category } : {}), cursor: props.nextCursor }).toString()}`}
          >
            更多 More
          </a>
        </p>
      )}
    </Layout>
  );
}
