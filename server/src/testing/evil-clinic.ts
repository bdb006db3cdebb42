import type { Request } from './http.ts';
import { practiceOnSite, selfRegisteredPractice } from './fixtures.ts';

export const HARBOR_SITE = 'https://harbor-therapy.example';
export const EVIL_SITE = 'https://evil-clinic.example';

/**
 * The scenario of issue 8, section 2: Harbor Therapy serves its clients on its own site; anyone may register, open
 * "Evil Clinic" and list their own site for it. `victim` is Harbor's client.
 */
export async function evilClinicScenario(request: Request) {
  const harbor = await practiceOnSite(request, HARBOR_SITE);
  const evil = await selfRegisteredPractice(request, 'Evil Clinic', EVIL_SITE);
  return { harbor, victim: harbor.client, evil };
}
