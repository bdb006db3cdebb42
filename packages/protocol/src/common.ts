import { z } from 'zod';

/** Ids are MongoDB ObjectIds rendered as 24 lowercase hex characters. */
export const Id = z.string().regex(/^[a-f0-9]{24}$/, 'must be an id');
export type Id = z.infer<typeof Id>;

export const isId = (value: unknown): value is string => Id.safeParse(value).success;

/** A trimmed, non-empty line of text; control characters are refused so names stay inert everywhere they are shown. */
export const line = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    // eslint-disable-next-line no-control-regex
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not contain control characters');

/** Free text such as a message body: newlines and tabs allowed, other control characters not. */
export const text = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => s.trim().length > 0, 'must not be empty')
    // eslint-disable-next-line no-control-regex
    .refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s), 'must not contain control characters');

export const Email = z
  .string()
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email('must be an e-mail address'))
  .transform((s) => s.toLowerCase());

export const Phone = z
  .string()
  .trim()
  .max(32, 'must be at most 32 characters')
  .regex(/^[0-9+().\-\s]*$/, 'must contain only digits, spaces and + ( ) . -');

/** An origin as a browser sends it in `Origin`: scheme, host and port, nothing else. */
export const Origin = z
  .string()
  .max(200)
  .refine((s) => {
    try {
      const url = new URL(s);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === s;
    } catch {
      return false;
    }
  }, 'must be an origin such as https://example.com');

export const IsoDate = z.string().datetime({ offset: true });
