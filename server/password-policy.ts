import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';

/**
 * What a new password must be (issue 10): at least 10 characters; not one character repeated, not
 * whitespace only, not the user name and not containing it; and not easy to guess — zxcvbn's
 * estimate (its dictionaries of the most common passwords, keyboard walks, repeats, sequences,
 * dates, l33t spellings, with the user name and the product's words as extra dictionary words)
 * must reach score 3 (≈10^8 guesses). Used by `admin.upsertUser` (input schema) and `create-admin`.
 */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MIN_SCORE = 3;

let factory: ZxcvbnFactory | null = null;
const estimator = () => (factory ??= new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs }));

/** Why `password` is refused for the user `userName`, or null when it is acceptable. */
export function passwordProblem(password: string, userName: string): string | null {
  const chars = [...password];
  const name = userName.trim().toLowerCase();
  const lower = password.toLowerCase();
  if (!password.trim()) return 'is only whitespace';
  if (chars.length < PASSWORD_MIN_LENGTH) return `too short: at least ${PASSWORD_MIN_LENGTH} characters`;
  if (new Set(chars).size === 1) return 'is one character repeated';
  if (name && lower.trim() === name) return 'must not be the user name';
  if (name.length >= 3 && lower.includes(name)) return 'must not contain the user name';
  const result = estimator().check(password.slice(0, 256), [name, 'relay', 'desk', 'relaydesk', 'relay desk', 'service desk']);
  if (result.score < PASSWORD_MIN_SCORE) {
    const why = result.feedback.warning ? WARNINGS[result.feedback.warning] ?? 'too easy to guess' : 'too easy to guess';
    return `${why}; use a longer passphrase of several unrelated words`;
  }
  return null;
}

/** zxcvbn's warning keys, in words (the package ships keys; translations are a separate package). */
const WARNINGS: Record<string, string> = {
  topTen: 'is one of the ten most common passwords',
  topHundred: 'is one of the hundred most common passwords',
  common: 'is a commonly used password',
  similarToCommon: 'is too similar to a commonly used password',
  simpleRepeat: 'repeats characters (like "aaa")',
  extendedRepeat: 'repeats a pattern of characters (like "abcabcabc")',
  sequences: 'is a common character sequence (like "abc" or "123")',
  straightRow: 'is a row of keys on the keyboard',
  keyPattern: 'is a short keyboard pattern',
  recentYears: 'is mostly a recent year',
  dates: 'is mostly a date',
  wordByItself: 'is a single word',
  namesByThemselves: 'is a single name or surname',
  commonNames: 'is a common name or surname',
  userInputs: 'is built from the user name or the product name',
  pwned: 'appeared in a data breach',
};
