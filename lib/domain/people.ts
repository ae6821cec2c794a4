/**
 * The directory's own rules (POLICY D18, segregation of duties), checked when an administrator saves
 * a person (lib/admin/people.ts). Pure: the caller brings the person as they would be and their
 * colleagues of the same entity as the directory has them now.
 *
 * What D18 asks of the directory, so that no voucher can ever be routed against it:
 * - the applicant never approves their own voucher: a merchandiser (an applicant) holds no approval
 *   step other than heading merchandising, which their configured deputy covers when they apply;
 * - one person never holds two steps of the same voucher: at most one of the step roles (head of
 *   merchandising, CEO, finance review, the cashier's payment);
 * - when the head of merchandising applies, the step goes to their deputy: a head has a deputy, an
 *   active colleague who is not themselves and holds no step role (else the deputy would hold two);
 * - the cashier is never the applicant: a cashier is not a merchandiser.
 */
import type { Issue } from './errors.ts';
import type { Person, Role } from './model.ts';

/** The roles that hold a step of a voucher's route (lib/domain/approval-route.ts), the payment included. */
export const STEP_ROLES: readonly Role[] = ['HEAD_OF_MERCHANDISING', 'CEO', 'FINANCE_REVIEWER', 'CASHIER'];

/** A person counts as active unless deactivated (records written before `active` existed are). */
export function isActivePerson(person: Pick<Person, 'active'>): boolean {
  return person.active !== false;
}

/**
 * What is wrong with `person` as the directory would hold them, each with the field it is about;
 * empty when the save may go ahead. `colleagues`: the other people of their entity (any of them may
 * be `person` as stored before; it is ignored).
 */
export function directoryIssues(person: Person, colleagues: readonly Person[]): Issue[] {
  const issues: Issue[] = [];
  const others = colleagues.filter((colleague) => colleague.email !== person.email);
  const colleague = (email: string) => others.find((candidate) => candidate.email === email);
  const roles = new Set(person.roles);
  const stepRoles = STEP_ROLES.filter((role) => roles.has(role));

  // POLICY D18: one person never holds two steps of the same voucher.
  if (stepRoles.length > 1) {
    issues.push({
      path: 'roles',
      message: `一个人只能担任一个审批或付款岗位（现为 ${stepRoles.length} 个）one person holds at most one approval or payment role (these are ${stepRoles.length})`,
    });
  }
  // POLICY D18: the cashier is never the applicant.
  if (roles.has('CASHIER') && roles.has('MERCHANDISER')) {
    issues.push({
      path: 'roles',
      message: '出纳不能同时是申请人（商品专员）the cashier cannot also be an applicant (merchandiser)',
    });
  }
  // POLICY D18: the applicant never approves their own voucher; only the head's step has a deputy.
  if (roles.has('MERCHANDISER') && (roles.has('CEO') || roles.has('FINANCE_REVIEWER'))) {
    issues.push({
      path: 'roles',
      message:
        '申请人（商品专员）不能同时担任 CEO 或财务审核 an applicant (merchandiser) cannot also approve as CEO or finance reviewer',
    });
  }

  if (roles.has('HEAD_OF_MERCHANDISING')) {
    // POLICY D18: when the head of merchandising is the applicant, that step goes to their deputy.
    if (!person.deputy) {
      issues.push({
        path: 'deputyEmail',
        message: '商品部负责人须指定代理人 a head of merchandising needs a deputy',
      });
    } else if (person.deputy === person.email) {
      issues.push({
        path: 'deputyEmail',
        message: '代理人不能是本人 the deputy cannot be the head themselves',
      });
    } else {
      const deputy = colleague(person.deputy);
      if (!deputy || !isActivePerson(deputy)) {
        issues.push({
          path: 'deputyEmail',
          message: '代理人须是本单位在职的人 the deputy must be an active person of the same entity',
        });
      } else if (deputy.roles.some((role) => STEP_ROLES.includes(role))) {
        issues.push({
          path: 'deputyEmail',
          message: '代理人不能担任其他审批或付款岗位 the deputy cannot hold another approval or payment role',
        });
      }
    }
  } else if (person.deputy) {
    issues.push({
      path: 'deputyEmail',
      message: '只有商品部负责人有代理人 only a head of merchandising has a deputy',
    });
  }

  if (person.manager) {
    const manager = colleague(person.manager);
    if (person.manager === person.email) {
      issues.push({ path: 'managerEmail', message: '上级不能是本人 a person is not their own manager' });
    } else if (!manager || !isActivePerson(manager)) {
      issues.push({
        path: 'managerEmail',
        message: '上级须是本单位在职的人 the manager must be an active person of the same entity',
      });
    }
  }
  return issues;
}

/**
 * The active heads of merchandising whose deputy `email` is (POLICY D18): while there is one, that
 * person cannot be deactivated, nor given a step role, without leaving the head's step uncovered.
 */
export function headsDeputisedBy(email: string, colleagues: readonly Person[]): Person[] {
  return colleagues.filter(
    (colleague) =>
      colleague.email !== email &&
      isActivePerson(colleague) &&
      colleague.deputy === email &&
      colleague.roles.includes('HEAD_OF_MERCHANDISING'),
  );
}
