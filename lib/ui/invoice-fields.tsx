/**
 * The labelled fields finance fills in more than one place (a request's page and, one set per line,
 * its batch's page): the invoice number and date of an issued invoice, and the reason of a return or
 * a dismissal. One block each, so the two pages never drift apart in labels, hints or limits.
 */
import { TextArea, TextField } from './controls.tsx';

/** Field ids: the names themselves on a page of one form, `<name>-<suffix>` where a page has one per line. */
const idOf = (name: string, suffix: string | undefined) => (suffix ? `${name}-${suffix}` : name);

/** 发票号码 and 开票日期 of an issued invoice (数电票: 20 digits), the date today unless typed otherwise. */
export function IssuedInvoiceFields(props: {
  today: string;
  idSuffix?: string | undefined;
  values?: { invoiceNumber?: string | undefined; issuedOn?: string | undefined } | undefined;
  errors: (field: 'invoiceNumber' | 'issuedOn') => string[];
}) {
  return (
    <>
      <TextField
        id={idOf('invoiceNumber', props.idSuffix)}
        name="invoiceNumber"
        label="发票号码 Invoice number"
        hint="数电票 20 位数字 20 digits"
        inputMode="numeric"
        value={props.values?.invoiceNumber}
        required
        errors={props.errors('invoiceNumber')}
      />
      <TextField
        id={idOf('issuedOn', props.idSuffix)}
        name="issuedOn"
        type="date"
        label="开票日期 Issued on"
        value={props.values?.issuedOn ?? props.today}
        max={props.today}
        required
        errors={props.errors('issuedOn')}
      />
    </>
  );
}

/** Why finance returns a line to customer service, or dismisses a flag: required, at most 500 characters. */
export function ReasonField(props: {
  idSuffix?: string | undefined;
  value?: string | undefined;
  errors: string[];
}) {
  return (
    <TextArea
      id={idOf('reason', props.idSuffix)}
      name="reason"
      label="原因 Reason"
      required
      maxLength={500}
      {...(props.value !== undefined ? { value: props.value } : {})}
      errors={props.errors}
    />
  );
}
