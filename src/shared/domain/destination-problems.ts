import { andList } from './counted';

/** Destinations that failed the same way: the sentence once, with every destination it concerns. */
export interface SharedProblem {
  /** Their names, in the order first met. */
  destinations: string[];
  code: string;
  message: string;
}

/**
 * Groups per-destination failures that say the same thing: a wrong master key fails every
 * destination with a stored credential with one sentence, which a reader should get once, after
 * the names it concerns, not once per destination.
 */
export function sameProblems(problems: readonly { destination: string; code: string; message: string }[]): SharedProblem[] {
  const groups = new Map<string, SharedProblem>();
  for (const p of problems) {
    const key = `${p.code}\n${p.message}`;
    const group = groups.get(key);
    if (group) group.destinations.push(p.destination);
    else groups.set(key, { destinations: [p.destination], code: p.code, message: p.message });
  }
  return [...groups.values()];
}

/** `destination "a"`, `destinations "a" and "b"`. */
export function destinationsWords(names: readonly string[]): string {
  return `destination${names.length === 1 ? '' : 's'} ${andList(names.map((n) => `"${n}"`))}`;
}
