/**
 * Every message a person reads is in Chinese and English: each refusal thrown by the capabilities of
 * the pages (vouchers, approvals, suppliers, orders, uploads, home), the domain and the HTTP edge —
 * found by reading their code, so a new English-only (or Chinese-only) message fails here. A message
 * built from a variable is judged by the text that variable is given in the same function.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const FOLDERS = [
  'lib/vouchers',
  'lib/approvals',
  'lib/suppliers',
  'lib/orders',
  'lib/uploads',
  'lib/domain',
  'lib/http',
  'lib/home',
  'lib/platform',
  'lib/reconciliation',
  'lib/invoicing',
  'lib/exports',
];
/** Errors of the platform that are bugs, not refusals (a 500 shows its own generic words). */
const NOT_REFUSALS = new Set(['Error', 'RangeError', 'TypeError', 'AggregateError']);

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return walk(file);
    return /\.tsx?$/.test(name) ? [file] : [];
  });
}

const CHINESE = /[\u4e00-\u9fff]/;
const ENGLISH = /[A-Za-z]{2,}[^A-Z_]*\s[a-z]/;
const CODE = /^[A-Z][A-Z0-9_]+$/;

/** Judged where its words are written: a message made only of placeholders (`${zh} ${en}`) has none. */
const hasWords = (text: string) => /[\p{L}]/u.test(text.replaceAll('…', ''));

/** The texts a string or template literal can be (both of a `? :`), placeholders as `…`. */
function literalTexts(node: ts.Node): string[] | null {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
  if (ts.isTemplateExpression(node)) {
    return [[node.head.text, ...node.templateSpans.map((span) => `…${span.literal.text}`)].join('')];
  }
  if (ts.isParenthesizedExpression(node)) return literalTexts(node.expression);
  if (ts.isConditionalExpression(node)) {
    const whenTrue = literalTexts(node.whenTrue);
    const whenFalse = literalTexts(node.whenFalse);
    return whenTrue && whenFalse ? [...whenTrue, ...whenFalse] : null;
  }
  return null;
}

/** An error class's own `super(…)` call: its messages are thrown as much as a `new …Error(…)`'s. */
function inErrorClass(node: ts.Node): boolean {
  let scope: ts.Node | undefined = node.parent;
  while (scope && !ts.isClassDeclaration(scope)) scope = scope.parent;
  return (
    scope !== undefined &&
    (scope.heritageClauses ?? []).some((clause) =>
      clause.types.some((type) => /Error$/.test(type.expression.getText())),
    )
  );
}

/** What a variable named in a message is given in the enclosing function (its declarations). */
function textsOf(name: string, from: ts.Node): string[] {
  let scope: ts.Node | undefined = from.parent;
  while (scope && !ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.name.text === name &&
      node.initializer
    ) {
      found.push(...(literalTexts(node.initializer) ?? []));
    }
    ts.forEachChild(node, visit);
  };
  if (scope) visit(scope);
  return found;
}

interface Message {
  where: string;
  text: string;
}

function thrownMessages(): Message[] {
  const messages: Message[] = [];
  for (const folder of FOLDERS) {
    for (const file of walk(path.join(ROOT, folder))) {
      const source = ts.createSourceFile(
        file,
        readFileSync(file, 'utf8'),
        ts.ScriptTarget.Latest,
        true,
        ts.ScriptKind.TSX,
      );
      const visit = (node: ts.Node) => {
        const thrown =
          (ts.isNewExpression(node) &&
            ts.isIdentifier(node.expression) &&
            node.expression.text.endsWith('Error') &&
            !NOT_REFUSALS.has(node.expression.text)) ||
          (ts.isCallExpression(node) &&
            node.expression.kind === ts.SyntaxKind.SuperKeyword &&
            inErrorClass(node));
        if (thrown) {
          for (const argument of (node as ts.NewExpression | ts.CallExpression).arguments ?? []) {
            const where = `${path.relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(argument.getStart()).line + 1}`;
            const texts = literalTexts(argument);
            if (texts !== null) {
              for (const text of texts) if (!CODE.test(text)) messages.push({ where, text });
            } else if (ts.isIdentifier(argument)) {
              for (const given of textsOf(argument.text, node)) messages.push({ where, text: given });
            }
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
  }
  return messages;
}

/** zod's refinements whose second argument is the issue's message (`.min(1, 'cite an order')`). */
const ZOD_MESSAGE_METHODS = new Set(['min', 'max', 'length', 'regex', 'refine']);

/**
 * The messages of issues and flags: every `message:` of an object literal (an issue, a flag, zod's
 * options) and the message argument of a zod refinement, as literal text.
 */
function issueMessages(): Message[] {
  const messages: Message[] = [];
  for (const folder of FOLDERS) {
    for (const file of walk(path.join(ROOT, folder))) {
      const source = ts.createSourceFile(
        file,
        readFileSync(file, 'utf8'),
        ts.ScriptTarget.Latest,
        true,
        ts.ScriptKind.TSX,
      );
      const add = (node: ts.Node) => {
        const where = `${path.relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
        for (const text of literalTexts(node) ?? []) messages.push({ where, text });
      };
      const visit = (node: ts.Node) => {
        if (ts.isPropertyAssignment(node) && node.name.getText(source) === 'message') add(node.initializer);
        if (
          ts.isCallExpression(node) &&
          ts.isPropertyAccessExpression(node.expression) &&
          ZOD_MESSAGE_METHODS.has(node.expression.name.text) &&
          node.arguments[1] !== undefined
        ) {
          add(node.arguments[1]);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
  }
  return messages;
}

describe('the messages people read', () => {
  it('finds the refusals it judges', () => {
    expect(thrownMessages().length).toBeGreaterThan(80);
  });

  it('gives every refusal thrown in Chinese and in English', () => {
    const oneLanguage = thrownMessages()
      .filter(({ text }) => hasWords(text) && !(CHINESE.test(text) && ENGLISH.test(text)))
      .map(({ where, text }) => `${where}: ${text.slice(0, 100)}`);

    expect(oneLanguage).toEqual([]);
  });

  it('gives every issue of a refusal, and every flag for finance, in Chinese and in English', () => {
    const messages = issueMessages();
    const oneLanguage = messages
      .filter(({ text }) => hasWords(text) && !(CHINESE.test(text) && ENGLISH.test(text)))
      .map(({ where, text }) => `${where}: ${text.slice(0, 100)}`);

    expect(messages.length).toBeGreaterThan(60);
    expect(oneLanguage).toEqual([]);
  });
});
