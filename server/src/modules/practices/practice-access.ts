import type { PracticesService } from './practices.service.ts';
import { requireUser, type AppContext } from '../../http/state.ts';
import { pathId } from '../../http/validate.ts';

/** The `:pid` of the route, once the signed-in caller is shown to hold the role the route needs there. */
export function practiceAccess(practices: PracticesService) {
  return {
    async asAdmin(ctx: AppContext & { params: Record<string, string> }): Promise<string> {
      const pid = pathId(ctx.params.pid, 'practice');
      await practices.requireAdmin(pid, String(requireUser(ctx)._id));
      return pid;
    },
    async asMember(ctx: AppContext & { params: Record<string, string> }): Promise<string> {
      const pid = pathId(ctx.params.pid, 'practice');
      await practices.requireMember(pid, String(requireUser(ctx)._id));
      return pid;
    },
  };
}
