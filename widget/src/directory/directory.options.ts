/**
 * What the directory's pickers offer unless the page sets its own lists (`specialties`, `languages` properties): the
 * filters the largest therapist directories lead with.
 */
export const DEFAULT_SPECIALTIES = [
  'Anxiety',
  'Depression',
  'Trauma and PTSD',
  'Relationship issues',
  'Grief and loss',
  'Addiction',
  'ADHD',
  'Eating disorders',
  'OCD',
  'Bipolar disorder',
  'Child or adolescent',
  'Stress',
  'Family conflict',
  'LGBTQ+',
];

/** BCP 47 codes; shown by name in the page's language (Intl.DisplayNames). */
export const DEFAULT_LANGUAGES = [
  'en',
  'es',
  'zh',
  'vi',
  'tl',
  'ar',
  'fr',
  'de',
  'ko',
  'ru',
  'pt',
  'hi',
  'fa',
  'ja',
  'pl',
];

/** The distance choices, in the reader's unit (miles or km: directory.distance.ts). */
export const DISTANCES = [5, 10, 25, 50, 100];
export const DEFAULT_DISTANCE = 25;

/** The language's name in the reader's language ("Spanish", "español"), or the code itself if unknown. */
export function languageNamer(locales: string[]): (code: string) => string {
  let names: Intl.DisplayNames | undefined;
  try {
    names = new Intl.DisplayNames([...locales, 'en'], { type: 'language', fallback: 'code' });
  } catch {
    names = undefined;
  }
  return (code) => {
    try {
      return names?.of(code) ?? code;
    } catch {
      return code;
    }
  };
}
