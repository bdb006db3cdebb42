import { z } from 'zod';

/**
 * The connection check of <ct-av-test> (docs/api-v1-video.md, "Connection test"): a visitor measures round trip,
 * download and upload speed to the service before an appointment, signed in or not.
 */

/** The most one download answers or one upload accepts. */
export const CONNECTION_TEST_MAX_BYTES = 10 * 1024 * 1024;

/** Requests per address per minute: a check makes about 20 (5 pings, up to 8 downloads and 8 uploads). */
export const CONNECTION_TEST_REQUESTS_PER_MINUTE = 120;

export const ConnectionTestDownloadQuery = z.strictObject({
  bytes: z
    .string('must be given')
    .regex(/^[0-9]{1,9}$/, 'must be a whole number of bytes')
    .transform(Number)
    .pipe(
      z
        .number()
        .min(1, 'must be at least 1')
        .max(CONNECTION_TEST_MAX_BYTES, `must be at most ${CONNECTION_TEST_MAX_BYTES}`),
    ),
});
export type ConnectionTestDownloadQuery = z.infer<typeof ConnectionTestDownloadQuery>;

export const ConnectionTestUploadResult = z.object({
  /** How many bytes arrived; they were discarded. */
  bytes: z.number().int().nonnegative(),
});
export type ConnectionTestUploadResult = z.infer<typeof ConnectionTestUploadResult>;
