/**
 * Why a suite cannot run here, for `describe(name, { skip })`. Run alone, a missing prerequisite (no build yet, no
 * Janus) skips with its reason; under `npm test` (CLOCKTREE_FULL_SUITE=1) it fails instead, so a CI machine missing
 * a part can never pass by quietly skipping what needs it.
 */
export function unmet(prerequisites: [met: boolean, missing: string][]): string | false {
  const missing = prerequisites.find(([met]) => !met)?.[1];
  if (!missing) return false;
  if (process.env.CLOCKTREE_FULL_SUITE === '1') throw new Error(`cannot run this suite: ${missing}`);
  return missing;
}
