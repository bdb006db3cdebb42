/** Miles where people measure road distances in them; km everywhere else. The API always takes and gives km. */
const MILE_REGIONS = new Set(['US', 'GB', 'LR', 'MM', 'PR']);
const KM_PER_MILE = 1.609344;

export interface DistanceUnit {
  label: 'mi' | 'km';
  /** The choices in this unit (5, 10, 25, 50, 100) as `distanceKm` values, whole km. */
  toKm(amount: number): number;
  /** "3.2 mi away", "Under 1 km away": a card's distance in this unit. */
  away(km: number): string;
}

/** The unit of the first of `locales` that names (or implies) a region; km when none does. */
export function distanceUnit(locales: string[]): DistanceUnit {
  let region: string | undefined;
  for (const tag of locales) {
    try {
      region = new Intl.Locale(tag).maximize().region;
    } catch {
      continue;
    }
    if (region) break;
  }
  const miles = MILE_REGIONS.has(region ?? '');
  const label = miles ? 'mi' : 'km';
  const per = miles ? KM_PER_MILE : 1;
  return {
    label,
    toKm: (amount) => Math.round(amount * per),
    away(km) {
      const amount = km / per;
      if (amount < 1) return `Under 1 ${label} away`;
      return `${amount < 10 ? amount.toFixed(1) : Math.round(amount)} ${label} away`;
    },
  };
}
