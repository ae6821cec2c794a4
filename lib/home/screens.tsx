/** The start of the signed-in pages: the sign-in page and the home page, in the UI kit (lib/ui). */
import { hasRole } from '../domain/access.ts';
import type { Person, Role } from '../domain/model.ts';
import { Banner, Button, Buttons, SelectField } from '../ui/controls.tsx';
import { labelText, ROLE_LABELS } from '../ui/labels.ts';
import { Layout } from '../ui/layout.tsx';

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

export function HomePage({ person }: { person: Person }) {
  const merchandiser = hasRole(person, 'MERCHANDISER');
  return (
    <Layout title="首页 Home" person={person}>
      <h1>您好，{person.name}</h1>
      <div class="card">
        <dl>
          <dt>邮箱 Email</dt>
          <dd>{person.email}</dd>
          <dt>角色 Roles</dt>
          <dd>{rolesText(person.roles)}</dd>
        </dl>
      </div>
      {merchandiser && (
        <ul>
          <li>
            <a href="/vouchers/new">提交付款凭单 Submit a payment voucher</a>
          </li>
          <li>
            <a href="/vouchers">我的付款凭单 My vouchers</a>
          </li>
        </ul>
      )}
      {hasRole(person, ...APPROVING_ROLES) && (
        <p class="card">
          待您审批的付款凭单会通过邮件链接发给您。Vouchers awaiting your decision reach you as email links.
        </p>
      )}
    </Layout>
  );
}
