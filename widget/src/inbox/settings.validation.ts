import '../shared/zod-jitless.ts';
import { Origin, PatchPracticeBody } from '@clocktree/protocol';

/**
 * The protocol's own rules for the settings forms, so they refuse exactly what the server would, in its words. zod is
 * big: this chunk is fetched once Settings opens, and until it has arrived the server's answer says the same.
 */

/** Why `line` is not an origin, or undefined when it is one. */
export const originProblem = (line: string) => Origin.safeParse(line).error?.issues[0]?.message;

/** Each field's problem (`name`, `address.postcode`, …) with a practice profile change, or an empty object. */
export function practicePatchProblems(body: unknown): Record<string, string> {
  const result = PatchPracticeBody.safeParse(body);
  const problems: Record<string, string> = {};
  for (const issue of result.error?.issues ?? []) {
    // "An e-mail address or empty" fails as a union: the first alternative's words say what is wrong.
    const words = issue.code === 'invalid_union' ? (issue.errors[0]?.[0]?.message ?? issue.message) : issue.message;
    problems[issue.path.join('.')] ??= words;
  }
  return problems;
}
