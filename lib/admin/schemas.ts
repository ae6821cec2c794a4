/** The administration API's bodies and queries (zod at the edge; the rules are lib/domain/people.ts). */
import * as z from 'zod';
import { ROLES } from '../domain/model.ts';
import { localDate, recordId, typedText } from '../http/input.ts';
import { emailAddress } from '../http/schemas.ts';
import { TAX_RATES_PERCENT } from '../invoicing/schemas.ts';

export const personBody = z.strictObject({
  email: emailAddress,
  name: typedText({ what: 'name', max: 80 }),
  entityId: recordId('entity id'),
  roles: z
    .array(
      z.enum(ROLES, { message: `角色须为 ${ROLES.join('、')} 之一 a role is one of ${ROLES.join(', ')}` }),
    )
    .min(1, '至少一个角色 at least one role')
    .max(ROLES.length),
  managerEmail: emailAddress.optional(),
  deputyEmail: emailAddress.optional(),
  active: z.boolean({ message: 'active 须为 true 或 false active must be true or false' }),
});

export const personParams = z.object({ email: emailAddress });

export const delegationsQuery = z.strictObject({ from: emailAddress });

const TAX_RATES = TAX_RATES_PERCENT as readonly number[];

export const entityBody = z.strictObject({
  id: recordId('entity id', { trim: true }),
  name: typedText({ what: 'name', min: 2, max: 200, required: 'the entity’s full legal name' }),
  // Checked against the USCC's check character in the use case (422 USCC_INVALID, POLICY 1.2).
  taxId: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[0-9A-Z]{18}$/, '统一社会信用代码为 18 位数字或字母 the USCC has 18 digits or letters'),
  bankAccounts: z
    .array(
      z.strictObject({
        bankName: typedText({ what: 'bankName', min: 2, max: 200 }),
        account: z
          .string()
          .trim()
          .min(6)
          .max(40)
          .regex(/^[0-9 -]+$/, '只能用数字、空格和短横线 digits, spaces and dashes only'),
        primary: z.boolean(),
      }),
    )
    .max(20)
    .refine(
      (accounts) => accounts.length === 0 || accounts.filter((account) => account.primary).length === 1,
      {
        message: '须有且只有一个付款主账户 exactly one primary account pays the suppliers',
      },
    ),
  invoicing: z.strictObject({
    itemName: typedText({ what: 'item name', max: 90 }),
    taxCode: z
      .string()
      .regex(/^\d{19}$/, '税收分类编码为 19 位数字 the tax classification code has 19 digits'),
    taxRatePercent: z.number().refine((rate) => TAX_RATES.includes(rate), {
      message: `税率为 ${TAX_RATES.join('、')}% 之一 a VAT rate of ${TAX_RATES.join(', ')} percent`,
    }),
  }),
});

export type EntityInput = z.output<typeof entityBody>;

export const entityParams = z.object({ id: recordId('entity id') });

export const auditQuery = z.strictObject({
  actor: emailAddress,
  entity: recordId('entity id').optional(),
  from: localDate.optional(),
  to: localDate.optional(),
  cursor: z.string().max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

export type AuditQuery = z.output<typeof auditQuery>;

/** The audit page's form (a GET: empty fields are absent). */
export const auditPageQuery = z.strictObject({
  actor: emailAddress.optional(),
  from: z.preprocess((value) => (value === '' ? undefined : value), localDate.optional()),
  to: z.preprocess((value) => (value === '' ? undefined : value), localDate.optional()),
  cursor: z.string().max(2048).optional(),
});
