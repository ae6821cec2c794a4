/**
 * 缺供应商发票 Payments missing their invoice: finance's (and the cashier's) list, filtered by the
 * days paid, sorted, with its total and the same list as an XLSX file (POLICY 2.1(3), D9).
 */
import type { Person } from '../domain/model.ts';
import { FlagBadge } from '../ui/badges.tsx';
import type { FormError } from '../ui/controls.tsx';
import { yuan } from '../ui/format.ts';
import { Layout } from '../ui/layout.tsx';
import { ListFilters, ListTotals } from '../ui/lists.tsx';
import { type Names, Who } from '../ui/people.tsx';
import { CardTable } from '../ui/table.tsx';
import type { VoucherView } from '../vouchers/voucher-view.ts';
import type { MissingSort } from './missing-invoices.ts';

export interface MissingFormValues {
  from: string;
  to: string;
  sort: MissingSort;
}

const SORT_LABELS: Record<MissingSort, string> = {
  oldest: '最早付款在前 Paid longest ago first',
  newest: '最近付款在前 Paid most recently first',
  'amount-desc': '金额从大到小 Largest amount first',
  'amount-asc': '金额从小到大 Smallest amount first',
};

export function MissingInvoicesPage(props: {
  person: Person;
  vouchers: VoucherView[];
  names: Names;
  values: MissingFormValues;
  truncated: boolean;
  /** The export's address: the same filters. */
  exportHref: string;
  error?: FormError | undefined;
}) {
  const { vouchers, values, error } = props;
  const totalFen = vouchers.reduce((sum, voucher) => sum + voucher.amountFen, 0);
  const title = '缺供应商发票 Payments missing their invoice';
  return (
    <Layout title={title} person={props.person}>
      <h1>{title}</h1>
      <ListFilters
        action="/supplier-invoices/missing"
        fromLabel="付款日期从 Paid from"
        values={values}
        sorts={SORT_LABELS}
        exportHref={props.exportHref}
        error={error}
      />
      <ListTotals
        count={vouchers.length}
        amountFen={totalFen}
        unit={{ zh: '笔', en: ['payment', 'payments'] }}
        truncated={props.truncated}
        narrow={{ zh: '日期', en: 'the days' }}
      />
      {vouchers.length === 0 ? (
        <p class="card">
          {values.from || values.to
            ? '这些日期付款的款项都已登记发票。Every payment of these days has its invoice.'
            : '所有已付款项都已登记发票。Every payment has its invoice.'}
        </p>
      ) : (
        <CardTable
          rows={vouchers}
          rowAttributes={(voucher) => ({ 'data-voucher': voucher.id })}
          columns={[
            { label: '付款日 Paid on', cell: (voucher) => voucher.payment?.paidOn },
            {
              label: '凭单 Voucher',
              cell: (voucher) => (
                <>
                  <a href={`/vouchers/${voucher.id}`} class="number">
                    {voucher.number ?? voucher.id}
                  </a>
                  {/* Finance sees here what it is asked to look at (an invoice that differs, D9; D8). */}
                  {voucher.flags.map((flag) => (
                    <FlagBadge code={flag.code} />
                  ))}
                </>
              ),
            },
            { label: '供应商 Supplier', cell: (voucher) => voucher.supplierName },
            { label: '金额 Amount', class: 'amount', cell: (voucher) => yuan(voucher.amountFen) },
            {
              label: '申请人 Applicant',
              cell: (voucher) => <Who email={voucher.applicant} names={props.names} />,
            },
          ]}
          footer={[`合计 Total: ${vouchers.length}`, undefined, undefined, yuan(totalFen), undefined]}
        />
      )}
    </Layout>
  );
}
