/**
 * Text as searches compare it: lower case, accents off (`Montréal` → `montreal`), runs of anything but letters and
 * digits to one space. The directory's keys and the place table's names both go through it.
 */
export const normalize = (text: string): string =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
