import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Koa from 'koa';
import type { Connection, Types } from 'mongoose';
import type { Clock } from './clock.ts';
import type { ServiceDeps } from './context.ts';
import { background } from './background.ts';
import { derivedSecret } from './crypto/derived-secret.ts';
import { envelope } from './crypto/envelope.ts';
import { DEFAULT_POW_DIFFICULTY, proofOfWork, type PowDifficulty } from './crypto/proof-of-work.ts';
import { assertSafeConnection } from './database.ts';
import { jobList } from './job-list.ts';
import { redisLease, runners, startJobs } from './jobs.ts';
import { authenticate } from './http/authenticate.ts';
import { cors } from './http/cors.ts';
import { errorHandler } from './http/error-handler.ts';
import { jsonBody } from './http/json-body.ts';
import { originScope } from './http/origin-scope.ts';
import { originPolicy } from './http/origins.ts';
import { memoryStore, RateLimiter, type LimitStore } from './http/rate-limit.ts';
import { resourceOwners } from './http/resource-owners.ts';
import { shedLoad } from './http/shed-load.ts';
import { createRouter } from './http/router.ts';
import type { AppState } from './http/state.ts';
import { securityHeaders } from './http/security-headers.ts';
import { pageRoutes } from './http/pages.ts';
import { requestLog } from './http/request-log.ts';
import { serveSdk } from './http/static-files.ts';
import type { Logger } from './logger.ts';
import type { Mailer } from './mail/mailer.ts';
import { sealPlaintext } from './migrations/seal-plaintext.ts';
import { createModels, ensureIndexes } from './models.ts';
import { appointmentsRoutes } from './modules/appointments/appointments.routes.ts';
import { appointmentsService } from './modules/appointments/appointments.service.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { auditService } from './modules/audit/audit.service.ts';
import { attachmentsRoutes, isUploadRequest } from './modules/attachments/attachments.routes.ts';
import { attachmentModels } from './modules/attachments/attachment.model.ts';
import { attachmentsService } from './modules/attachments/attachments.service.ts';
import { authRoutes, type AuthLimits } from './modules/auth/auth.routes.ts';
import { authService } from './modules/auth/auth.service.ts';
import { users as usersOf } from './modules/auth/users.ts';
import { passwordReset } from './modules/auth/password-reset.ts';
import { passwordResetRoutes } from './modules/auth/password-reset.routes.ts';
import { DEFAULT_LOGIN_THROTTLE, loginThrottle } from './modules/auth/login-throttle.ts';
import { callsRoutes } from './modules/calls/calls.routes.ts';
import { callsService } from './modules/calls/calls.service.ts';
import { CALLER_GRACE_MS, relayMediaLoss, watchCallers } from './modules/calls/calls.socket.ts';
import { usageService } from './modules/calls/usage.service.ts';
import { clientsRoutes } from './modules/clients/clients.routes.ts';
import { clientLinks as clientLinksOf } from './modules/clients/client-links.ts';
import { clientsService } from './modules/clients/clients.service.ts';
import { connectionTestRoutes } from './modules/connection-test/connection-test.routes.ts';
import { healthRoutes } from './modules/health/health.routes.ts';
import { linkTokens } from './modules/links/link-tokens.ts';
import { linkRoutes } from './modules/links/links.routes.ts';
import { prospectLinks } from './modules/links/prospect-links.ts';
import { invitationsRoutes } from './modules/invitations/invitations.routes.ts';
import { invitationsService } from './modules/invitations/invitations.service.ts';
import { janusEvents } from './modules/media/janus-events.ts';
import { mediaService, type JanusInstance } from './modules/media/media.service.ts';
import { roomClosures } from './modules/media/room-closures.ts';
import { networkRoutes } from './modules/network/network.routes.ts';
import { networkService } from './modules/network/network.service.ts';
import { networkPeers } from './modules/network/network-peers.ts';
import { directoryRoutes } from './modules/directory/directory.routes.ts';
import { directoryService } from './modules/directory/directory.service.ts';
import { membershipService } from './modules/practices/membership.service.ts';
import { practicesRoutes } from './modules/practices/practices.routes.ts';
import { isPhotoUpload } from './modules/practices/practice-photo.routes.ts';
import { practicePhotos } from './modules/practices/practice-photos.ts';
import { practicesService } from './modules/practices/practices.service.ts';
import { rosterNews } from './modules/practices/roster-news.ts';
import { notificationsService } from './modules/notifications/notifications.service.ts';
import { DEFAULT_NOTIFY_DELAY_MS, messagesService } from './modules/threads/messages.service.ts';
import { threadContent } from './modules/threads/thread-content.ts';
import { contactUsGate, type ContactUsLimits } from './modules/threads/contact-us-gate.ts';
import { threadsRoutes } from './modules/threads/threads.routes.ts';
import { threadQueries } from './modules/threads/thread-queries.ts';
import { threadsService } from './modules/threads/threads.service.ts';
import { fanout } from './realtime/fanout.ts';
import { watchOutages } from './realtime/outage.ts';
import type { Cluster } from './realtime/adapter.ts';
import { attachSocket, dropDeadSockets, dropUnlistedSites, dropUser, type Io } from './realtime/socket.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Limits {
  auth: AuthLimits;
  contactUs: ContactUsLimits;
  /** The proof of work asked of Contact Us senders while a practice is under a flood. */
  challenge: PowDifficulty;
  /** Public directory searches from one address (why: modules/directory/directory.routes.ts). */
  directory: { perIpPerMinute: number };
}

export const DEFAULT_LIMITS: Limits = {
  auth: {
    registerPerIpPerHour: 20,
    loginPerIpPer10Min: 30,
    linkPerIpPer10Min: 30,
    resetPerIpPerHour: 20,
    resetPerAddressPerHour: 5,
    login: DEFAULT_LOGIN_THROTTLE,
  },
  contactUs: { perIpPer10Min: 5, perPracticePerHour: 120 },
  challenge: DEFAULT_POW_DIFFICULTY,
  directory: { perIpPerMinute: 120 },
};

const DEFAULT_MAX_IN_FLIGHT = 100;

export interface AppDeps {
  db: Connection;
  clock: Clock;
  logger: Logger;
  mailer: Mailer;
  /** 32 bytes; wraps each practice's data key. */
  masterKey: Buffer;
  /** How long a notification waits for the recipient to see the message live (default 30 s). */
  notifyDelayMs?: number;
  /** Run the scheduled jobs (relay, warnings, sweeps) on timers; tests run them by hand. */
  runJobs?: boolean;
  /** Where browsers reach the service; defaults to the address it listens on. */
  publicUrl?: string;
  /** Janus instances for video rooms, and the shared secret their event handlers post with. */
  janus?: { instances: JanusInstance[]; eventSecret: string };
  sessionIdleMs?: number;
  trustProxy?: boolean;
  limits?: Limits;
  /** Where rate limits and single-use marks are counted: Redis (`redisStore`) when several nodes share them. */
  limitStore?: LimitStore;
  /** Several nodes sharing one Redis: Socket.IO fans out through it and each job tick runs on one node. */
  cluster?: Cluster;
  /** API requests in progress beyond which new ones are answered 503 at once (default 100). */
  maxInFlight?: number;
  sdkDir?: string;
  examplesDir?: string;
  /** Practice shown by the example pages when the URL names none (the embedded demo). */
  demoPracticeId?: () => string | undefined;
  /** How long a caller's page may be gone before their ringing call stops (default 8 s; calls.socket.ts). */
  callerGraceMs?: number;
}

/** Builds the whole service from injected parts; nothing here reads the environment or listens by itself. */
export async function createApp(deps: AppDeps) {
  const { db, clock, logger, mailer } = deps;
  await assertSafeConnection(db);
  const models = createModels(db);
  const crypto = envelope(models.PracticeKey, deps.masterKey);
  // Before the indexes: they assume the sealed layout.
  await sealPlaintext(models, crypto, logger);
  await ensureIndexes(models);
  let publicUrl = deps.publicUrl ? new URL(deps.publicUrl).origin : '';
  const base: ServiceDeps = {
    models,
    clock,
    logger,
    mailer,
    sessionIdleMs: deps.sessionIdleMs ?? 15 * 60_000,
    crypto,
    publicUrl: () => publicUrl,
  };
  const content = threadContent(base.crypto);
  const live = fanout(() => io, models);
  const outage = watchOutages(db, () => io, logger);
  const server: HttpServer = createServer();
  // Read-only owners built before the services that need them (each module's models queried only by its owner).
  const users = usersOf(models.User, crypto);
  const clientLinks = clientLinksOf(models.ClientLink);
  const threadReads = threadQueries({ models, clock });
  const files = attachmentModels(db);
  const peers = networkPeers(models.NetworkConnection);
  const audit = auditService(base);
  const practices = practicesService({
    ...base,
    audit,
    users,
    clients: clientLinks,
    threads: threadReads,
    sitesChanged: (pid, origins) => dropUnlistedSites(io, pid, origins),
    profileChanged: (practice) => directory.sync(practice),
  });
  const photos = practicePhotos({ ...base, audit, profileChanged: (practice) => directory.sync(practice) });
  const directory = directoryService({ ...base, practices, threads: threadReads });
  await directory.backfill();
  const auth = authService({ ...base, audit, practices, clients: clientLinks });
  const limiter = new RateLimiter(clock, deps.limitStore ?? memoryStore());
  const later = background(logger);
  const tokens = linkTokens({ LinkToken: models.LinkToken, clock });
  const links = prospectLinks({ ...base, threads: threadReads, tokens, auth, audit, content, limiter, later });
  const resets = passwordReset({
    ...base,
    tokens,
    auth,
    audit,
    limiter,
    later,
    dropSockets: (userId) => dropUser(io, userId),
  });
  const clients = clientsService({ ...base, audit, practices, users, threads: threadReads });
  const rosterChanged = rosterNews(practices, live, logger);
  const invitations = invitationsService({ ...base, audit, auth, practices, clients, rosterChanged });
  const attachments = attachmentsService({
    ...base,
    audit,
    practices,
    clients,
    threads: threadReads,
    files,
    peers,
  });
  // The directory keeps each practice's 7-day deadline (modules/directory); these thread events move it.
  const awaitingChanged = (practiceId: Types.ObjectId) => directory.refreshListing(practiceId);
  const messages = messagesService({
    ...base,
    awaitingChanged,
    notifyDelayMs: deps.notifyDelayMs ?? DEFAULT_NOTIFY_DELAY_MS,
    audit,
    content,
    attachments,
    live,
    outage,
    users,
  });
  const network = networkService({ ...base, audit, auth, messages, users });
  const threads = threadsService({
    ...base,
    audit,
    practices,
    clients,
    content,
    messages,
    live,
    network,
    users,
    awaitingChanged,
  });
  const notifications = notificationsService({ ...base, content, links, users, threads: threadReads, practices });
  const media = mediaService(
    { MediaRoom: models.MediaRoom, crypto: base.crypto, clock, logger },
    { instances: deps.janus?.instances ?? [] },
  );
  const calls = callsService({ ...base, audit, practices, clients, media, live, network, users });
  const appointments = appointmentsService({ ...base, audit, practices, clients, media, calls, users });
  const membership = membershipService({
    io: () => io,
    audit,
    practices,
    clients,
    invitations,
    threads,
    calls,
    appointments,
    rosterChanged,
  });
  const usage = usageService({ ...base, audit, rooms: roomClosures(models.MediaRoom) });
  const stopUsage = media.onRoomEvent((event) => usage.record(event));
  const stopMediaLoss = relayMediaLoss({ media, calls, logger });
  const limits = deps.limits ?? DEFAULT_LIMITS;
  const throttle = loginThrottle(limiter, clock, derivedSecret(deps.masterKey, 'login-throttle'), limits.auth.login);
  const gate = contactUsGate(limiter, proofOfWork(deps.masterKey, clock, limits.challenge), limits.contactUs);
  const policy = originPolicy(models, () => publicUrl);
  const headers = securityHeaders({
    publicUrl: () => publicUrl,
    https: publicUrl.startsWith('https:'),
    janusUrls: (deps.janus?.instances ?? []).map((i) => i.publicUrl ?? i.url),
  });

  const api = createRouter('/api/v1');
  authRoutes(api, auth, limiter, limits.auth, throttle);
  linkRoutes(api, links, limiter, limits.auth.linkPerIpPer10Min);
  passwordResetRoutes(api, { resets, auth, limiter, limits: limits.auth });
  practicesRoutes(api, practices, invitations, membership, photos);
  clientsRoutes(api, practices, clients, invitations, membership);
  invitationsRoutes(api, invitations, limiter, limits.auth.linkPerIpPer10Min);
  threadsRoutes(api, threads, practices, gate);
  auditRoutes(api, practices, audit);
  attachmentsRoutes(api, attachments, threads);
  appointmentsRoutes(api, appointments, practices);
  callsRoutes(api, calls, appointments, usage, practices);
  networkRoutes(api, network, limiter);
  directoryRoutes(api, directory, limiter, limits.directory);

  const site = createRouter();
  healthRoutes(site, db, deps.cluster?.watch);
  pageRoutes(site, {
    examplesDir: deps.examplesDir ?? path.join(ROOT, 'examples'),
    publicUrl: () => publicUrl,
    headers,
    ...(deps.demoPracticeId ? { demoPracticeId: deps.demoPracticeId } : {}),
  });

  const app = new Koa<AppState>({ proxy: deps.trustProxy ?? false });
  // Koa prints socket errors (a client dropping mid-upload) to stderr by default; they belong in the log.
  app.silent = true;
  app.on('error', (err: Error) => logger.debug({ err: err.name }, 'connection error'));
  app.use(requestLog(logger));
  app.use(headers.all);
  app.use(errorHandler(logger, () => outage.suspect()));
  // Janus posts with HTTP basic auth, which the bearer-token check below would refuse: handled before it.
  if (deps.janus) app.use(janusEvents(media, deps.janus.eventSecret));
  app.use(cors(policy));
  app.use(serveSdk('/sdk/v1/', deps.sdkDir ?? path.join(ROOT, 'dist/sdk/v1')));
  const connectionTest = connectionTestRoutes(limiter);
  app.use(connectionTest.routes());
  const readJson = jsonBody();
  app.use(async (ctx, next) => {
    // Uploads stream their own body (modules/attachments, the practice photo): the JSON reader must not consume it.
    if (isUploadRequest(ctx) || isPhotoUpload(ctx)) ctx.state.rawBodyHandled = true;
    return ctx.path.startsWith('/api/') ? readJson(ctx, next) : next();
  });
  app.use(shedLoad(deps.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT, () => outage.down));
  app.use(authenticate(auth));
  app.use(originScope(policy, resourceOwners({ ...models, Attachment: files.Attachment })));
  app.use(api.routes()).use(api.allowedMethods());
  app.use(site.routes());

  // Order matters: engine.io wraps only the `request` listeners present when it attaches, and passes them what is
  // not its own. A listener added after it would also answer `/socket.io/` requests, and engine.io would then
  // write to a response Koa already ended (ERR_HTTP_HEADERS_SENT, which kills the process).
  server.on('request', app.callback());
  const io: Io = attachSocket(server, auth, policy, logger, deps.cluster);
  const stopCallerWatch = watchCallers({ io, calls, logger, graceMs: deps.callerGraceMs ?? CALLER_GRACE_MS });

  const schedule = jobList({
    notifications,
    dropDeadSockets: () => dropDeadSockets(io, auth),
    media,
    calls,
    appointments,
    auth,
    messages,
    tokens,
    invitations,
    attachments,
    network,
    directory,
  });
  const jobs = runners(schedule);
  const stopJobs =
    deps.runJobs === false
      ? async () => {}
      : startJobs(
          schedule,
          logger,
          deps.cluster ? { lease: redisLease(deps.cluster.redis, deps.cluster.prefix, deps.cluster.watch) } : {},
        );

  return {
    app,
    server,
    io,
    models,
    services: {
      audit,
      auth,
      practices,
      clients,
      invitations,
      membership,
      threads,
      messages,
      network,
      directory,
      notifications,
      links,
      resets,
      attachments,
      media,
      calls,
      appointments,
      usage,
    },
    jobs,
    /** Every registered route as `METHOD /path/:param`, for the authorization matrix's coverage check. */
    routes: (): string[] =>
      [connectionTest, api, site].flatMap((router) =>
        router.stack.flatMap((layer) =>
          layer.methods.filter((method) => method !== 'HEAD').map((method) => `${method} ${layer.path}`),
        ),
      ),
    outage,
    /** Waits for the work done after an answer went out (reset and renewal mails). */
    settled: () => later.settled(),
    async listen(port = 0, host = '127.0.0.1'): Promise<string> {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      const { port: actual } = server.address() as AddressInfo;
      const url = `http://${host}:${actual}`;
      publicUrl ||= url;
      return url;
    },
    /**
     * Waits for the jobs in progress, then stops accepting and ends sockets and open connections; the database
     * belongs to the caller.
     */
    async close(): Promise<void> {
      await stopJobs();
      outage.stop();
      stopUsage();
      stopMediaLoss();
      await usage.settled();
      await later.settled();
      await media.stop();
      stopCallerWatch();
      await new Promise<void>((resolve) => {
        void io.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

export type App = Awaited<ReturnType<typeof createApp>>;
