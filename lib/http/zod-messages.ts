/**
 * zod's own words for the issues our schemas do not word themselves (a wrong type, an unknown key, an
 * option not offered), in Chinese and English like every other message a person reads: zod's zh-CN
 * locale, then its English one. Set once, for the process, by the module every edge schema imports.
 */
import * as z from 'zod';
import { en, zhCN } from 'zod/locales';

const chinese = zhCN().localeError;
const english = en().localeError;

const words = (message: ReturnType<typeof english>): string =>
  typeof message === 'string' ? message : (message?.message ?? '');

z.config({ localeError: (issue) => `${words(chinese(issue))} ${words(english(issue))}`.trim() });
