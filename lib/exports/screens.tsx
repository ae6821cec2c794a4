/** The daily exports page (POLICY 3.1, D10): each working day's export of the person's entity. */
import type { Person } from '../domain/model.ts';
import type { DailyExport } from '../platform/store.ts';
import { shanghaiTime, yuan } from '../ui/format.ts';
import { Layout } from '../ui/layout.tsx';
import { CardTable } from '../ui/table.tsx';

export function DailyExportsPage(props: {
  person: Person;
  exports: DailyExport[];
  from: string;
  to: string;
  /** The entity's export time under its current policy (POLICY 3.1, D10, D17), HH:mm. */
  exportTime: string;
}) {
  return (
    <Layout title="每日订单导出 Daily exports" person={props.person}>
      <h1>每日订单导出 Daily exports</h1>
      <p>
        {`${props.from} – ${props.to}`}：每个工作日 {props.exportTime} 导出自上次导出以来完成并入账的订单。
        Every working day at {props.exportTime}, the orders completed and recorded since the previous export.
      </p>
      {props.exports.length === 0 ? (
        <p class="card">这段时间还没有导出。No export in these days yet.</p>
      ) : (
        <CardTable
          rows={props.exports}
          rowAttributes={(record) => ({ 'data-export': record.date })}
          columns={[
            { label: '日期 Day', cell: (record) => record.date },
            {
              label: '时间段 Window',
              cell: (record) => `${shanghaiTime(record.windowStart)} – ${shanghaiTime(record.windowEnd)}`,
            },
            { label: '订单 Orders', class: 'amount', cell: (record) => String(record.orders) },
            { label: '金额 Amount', class: 'amount', cell: (record) => yuan(record.amountFen) },
            { label: '迟到 Late', class: 'amount', cell: (record) => String(record.late) },
            {
              label: '文件 Files',
              cell: (record) => (
                <span>
                  <a href={`/daily-exports/${record.date}/xlsx`}>Excel</a>
                  {' · '}
                  <a href={`/daily-exports/${record.date}/csv`}>CSV</a>
                </span>
              ),
            },
          ]}
        />
      )}
    </Layout>
  );
}
