import path from 'node:path';
import { z } from 'zod';

const flag = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

const Env = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(8080),
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    MONGODB_URI: z.string({ error: 'is required' }).regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb://'),
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
    REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1 to 64 letters, digits, dots, dashes or underscores')
      .default('clocktree'),
    JANUS_URLS: z.string().optional(),
    JANUS_ADMIN_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
    JANUS_EVENT_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
    CLOCKTREE_MASTER_KEY: z
      .string()
      .refine((s) => Buffer.from(s, 'base64').length === 32, 'must be 32 bytes, base64-encoded')
      .optional(),
    CLOCKTREE_NOW_OFFSET_MS: z.coerce.number().int().optional(),
    SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
    DATA_DIR: z.string().default('./data'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    TRUST_PROXY: flag.default(false),
    CLOCKTREE_DEMO: flag.default(false),
  })
  .superRefine((env, ctx) => {
    if (env.JANUS_URLS)
      for (const name of ['JANUS_ADMIN_KEY', 'JANUS_EVENT_SECRET'] as const)
        if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'is required when JANUS_URLS is set' });
    if (env.NODE_ENV !== 'production') return;
    // A shifted clock would corrupt SLA timers and audit times in production.
    if (env.CLOCKTREE_NOW_OFFSET_MS !== undefined)
      ctx.addIssue({ code: 'custom', path: ['CLOCKTREE_NOW_OFFSET_MS'], message: 'must not be set in production' });
    if (!env.CLOCKTREE_MASTER_KEY)
      ctx.addIssue({ code: 'custom', path: ['CLOCKTREE_MASTER_KEY'], message: 'is required in production' });
    if (!env.PUBLIC_URL?.startsWith('https://'))
      ctx.addIssue({ code: 'custom', path: ['PUBLIC_URL'], message: 'is required in production and must be https' });
    if (env.CLOCKTREE_DEMO)
      ctx.addIssue({ code: 'custom', path: ['CLOCKTREE_DEMO'], message: 'must not be set in production' });
  });

export interface Config {
  production: boolean;
  host: string;
  port: number;
  /** Origin the service is reached at (the SDK, the console and the API share it); default: where it listens. */
  publicUrl: string | undefined;
  mongodbUri: string;
  redisUrl: string | undefined;
  /** Starts every Redis key, stream and channel of this deployment, so deployments can share one Redis. */
  redisPrefix: string;
  janusUrls: string[];
  janusAdminKey: string | undefined;
  janusEventSecret: string | undefined;
  smtpUrl: string | undefined;
  masterKey: Buffer | undefined;
  nowOffsetMs: number;
  sessionIdleMs: number;
  dataDir: string;
  logLevel: string;
  trustProxy: boolean;
  demo: boolean;
}

export class ConfigError extends Error {}

/** Reads the environment once at start and fails with every problem listed, so a bad deploy stops at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || 'environment'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    production: e.NODE_ENV === 'production',
    host: e.HOST,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL ? new URL(e.PUBLIC_URL).origin : undefined,
    mongodbUri: e.MONGODB_URI,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    janusAdminKey: e.JANUS_ADMIN_KEY,
    janusEventSecret: e.JANUS_EVENT_SECRET,
    janusUrls: (e.JANUS_URLS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    smtpUrl: e.SMTP_URL,
    masterKey: e.CLOCKTREE_MASTER_KEY ? Buffer.from(e.CLOCKTREE_MASTER_KEY, 'base64') : undefined,
    nowOffsetMs: e.CLOCKTREE_NOW_OFFSET_MS ?? 0,
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    dataDir: path.resolve(e.DATA_DIR),
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    demo: e.CLOCKTREE_DEMO,
  };
}
