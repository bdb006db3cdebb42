import { AuditQuery } from '@clocktree/protocol';
import { practiceAccess } from '../practices/practice-access.ts';
import type { AppRouter } from '../../http/router.ts';
import { actorOf } from '../../http/state.ts';
import { parse } from '../../http/validate.ts';
import type { PracticesService } from '../practices/practices.service.ts';
import type { AuditService } from './audit.service.ts';

/** Read-only by design: no route edits or deletes audit entries. */
export function auditRoutes(router: AppRouter, practices: PracticesService, audit: AuditService) {
  const { asAdmin } = practiceAccess(practices);
  router.get('/practices/:pid/audit', async (ctx) => {
    const pid = await asAdmin(ctx);
    const page = await audit.page(pid, parse(AuditQuery, ctx.query));
    await audit.record(actorOf(ctx), { practiceId: pid, action: 'audit.read', target: `practice:${pid}` });
    ctx.body = page;
  });
}
