/**
 * The one label table (lib/ui/labels.ts) names everything a person may be shown: every status, step,
 * role and flag (the types make those complete), every audit event the code writes and every refusal
 * code it throws — found by reading lib/ itself, so a new code without plain words fails here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROLES, VOUCHER_STATUSES } from '../../lib/domain/model.ts';
import {
  ERROR_LABELS,
  EVENT_LABELS,
  errorLabel,
  eventLabel,
  FLAG_LABELS,
  type Label,
  labelText,
  ROLE_LABELS,
  STEP_LABELS,
  VOUCHER_STATUS_LABELS,
} from '../../lib/ui/labels.ts';

const LIB = path.resolve(import.meta.dirname, '..', '..', 'lib');

function sources(dir: string): { file: string; text: string }[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sources(file);
    return /\.tsx?$/.test(name) ? [{ file, text: readFileSync(file, 'utf8') }] : [];
  });
}

/** The audit event types written: the literals of `type:` in an object that names its `actor:`. */
function auditTypes(): Set<string> {
  const found = new Set<string>();
  for (const { text } of sources(LIB)) {
    for (const match of text.matchAll(/actor:[^\n]*\n?[^\n]*?type:([\s\S]{0,200}?)(?:version|details|\})/g)) {
      // The outcomes only: `a === 'APPROVE' ? 'STEP_APPROVED' : 'STEP_REJECTED'` writes the latter two.
      for (const outcome of (match[1] ?? '').matchAll(/(?:^|[?:])\s*'([A-Z][A-Z0-9_]+)'/g)) {
        found.add(outcome[1] ?? '');
      }
    }
  }
  return found;
}

/** The refusal codes thrown: the first argument of a coded error, a class's own code, a refusal's code. */
function errorCodes(): Set<string> {
  const found = new Set<string>();
  const patterns = [
    // Any coded error, a subclass's too (new ReconciliationInputError('SUMMARY_COLUMNS_MISSING', …));
    // not a link's problem, which its class turns into LINK_EXPIRED / LINK_INVALID (its own `code =`).
    /new (?!ApprovalLinkError)[A-Z][A-Za-z]*Error\(\s*'([A-Z][A-Z0-9_]+)'/g,
    /readonly code = '([A-Z][A-Z0-9_]+)'/g,
    /errorBody\(\s*'([A-Z][A-Z0-9_]+)'/g,
    /super\(\s*'([A-Z][A-Z0-9_]+)'/g,
    /refusal: \{ code: '([A-Z][A-Z0-9_]+)'/g,
    /code: '(ORDER_[A-Z_]+)'/g,
    /this\.code = [^;]*'([A-Z_]+)' : '([A-Z_]+)'/g,
  ];
  for (const { text } of sources(LIB)) {
    for (const pattern of patterns) {
      for (const match of text.matchAll(pattern)) {
        for (const code of match.slice(1)) if (code) found.add(code);
      }
    }
  }
  return found;
}

const plain = (label: Label) => {
  expect(label.zh).toMatch(/[\u4e00-\u9fff]/);
  expect(label.en).toMatch(/^[A-Z0-9][^_]*$/);
};

describe('the label table', () => {
  it('names every voucher status, step, role and flag in Chinese and English', () => {
    for (const status of VOUCHER_STATUSES) plain(VOUCHER_STATUS_LABELS[status]);
    for (const role of ROLES) plain(ROLE_LABELS[role]);
    for (const label of [...Object.values(STEP_LABELS), ...Object.values(FLAG_LABELS)]) plain(label);
  });

  it('gives every status its own words', () => {
    const texts = VOUCHER_STATUSES.map((status) => labelText(VOUCHER_STATUS_LABELS[status]));

    expect(new Set(texts).size).toBe(VOUCHER_STATUSES.length);
  });

  it('names every audit event type the code writes', () => {
    const types = auditTypes();

    expect(types.size).toBeGreaterThan(25);
    expect([...types].filter((type) => !(type in EVENT_LABELS))).toEqual([]);
    for (const label of Object.values(EVENT_LABELS)) plain(label);
  });

  it('names every refusal code the code throws', () => {
    const codes = errorCodes();

    expect(codes.size).toBeGreaterThan(40);
    expect([...codes].filter((code) => !(code in ERROR_LABELS))).toEqual([]);
    for (const label of Object.values(ERROR_LABELS)) plain(label);
  });

  it('falls back to plain words, never the code, for a code it does not know yet', () => {
    expect(labelText(errorLabel('SOMETHING_NEW', 422))).toBe('无法完成 Cannot do that');
    expect(labelText(errorLabel('SOMETHING_NEW', 409))).not.toContain('SOMETHING_NEW');
    expect(labelText(eventLabel('SOMETHING_NEW'))).toBe('其他记录 Other event');
  });
});
