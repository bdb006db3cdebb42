/**
 * zod probes for `eval` (a caught `new Function("")`) when it builds object schemas, to compile faster parsers. Under a
 * content security policy without 'unsafe-eval' (see examples/strict-csp) the browser reports that probe as a violation,
 * even though zod recovers. Jitless mode skips the probe; parsing a form is no slower to notice.
 *
 * zod keeps its configuration on `globalThis.__zod_globalConfig`, adopting an existing object when it loads, so setting
 * the flag there first is what `z.config({ jitless: true })` does afterwards, without pulling zod (several KB) into the
 * form's first download. It must run before any schema is built, in whichever chunk zod and the protocol end up:
 * contact-us.ts and messages.ts import this first. contact-us.test.ts checks that zod reads it.
 */
const scope = globalThis as { __zod_globalConfig?: { jitless?: boolean } };
(scope.__zod_globalConfig ??= {}).jitless = true;

export {};
