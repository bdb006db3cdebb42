import type { Address, DirectoryFields } from '@clocktree/protocol';

import { normalize } from '../../search-key.ts';

export { normalize };

export const words = (text: string): string[] => normalize(text).split(' ').filter(Boolean);

/** A word and its prefixes from 3 letters on (up to 15): "trau" finds "trauma". */
const prefixes = (word: string): string[] => {
  const out = [word];
  for (let n = 3; n < Math.min(word.length, 16); n++) out.push(word.slice(0, n));
  return out;
};

const MAX_TERMS = 2000;

/**
 * The words `q` is matched against: the name, specialties, issues and approaches (with prefixes) and the about text
 * (whole words). Every word of `q` must be among them.
 */
export function termsOf(
  p: { name: string } & Partial<Pick<DirectoryFields, 'specialties' | 'issues' | 'approaches' | 'about'>>,
) {
  const tagged = [p.name, ...(p.specialties ?? []), ...(p.issues ?? []), ...(p.approaches ?? [])].flatMap(words);
  const terms = new Set([...tagged.flatMap(prefixes), ...words(p.about ?? '')]);
  return [...terms].slice(0, MAX_TERMS);
}

/** One key per free-text tag (`specialty=`, `insurance=`): the whole tag, normalized. */
export const tagKeys = (tags: string[] | undefined): string[] =>
  [...new Set((tags ?? []).map(normalize))].filter(Boolean);

/** The postcode without spaces (`SW1A 1AA` → `sw1a1aa`), the city as words (`St. Louis` → `st louis`). */
export const placeKey = (text: string): string => normalize(text);
export const postcodeKey = (text: string): string => normalize(text).replace(/ /g, '');

export function placesOf(address: Partial<Address> | undefined): string[] {
  const keys = [address?.city ? placeKey(address.city) : '', address?.postcode ? postcodeKey(address.postcode) : ''];
  return [...new Set(keys.filter(Boolean))];
}
