/** The administration API's bodies and queries (zod at the edge; the rules are lib/domain/people.ts). */
import * as z from 'zod';
import { ROLES } from '../domain/model.ts';
import { recordId, typedText } from '../http/input.ts';
import { emailAddress } from '../http/schemas.ts';

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
