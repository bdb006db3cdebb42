import type { App } from '../app.ts';

export const DEMO = {
  practice: 'Maple Street Counseling',
  admin: { email: 'admin@maple-street.example', name: 'Dana Admin' },
  colleague: { email: 'colleague@maple-street.example', name: 'Chris Colleague' },
  client: { email: 'client@maple-street.example', name: 'Casey Client' },
  /** Embedded development default only: the server refuses CLOCKTREE_DEMO in production. */
  password: 'maple-street-demo',
} as const;

/** Creates the demo practice once (idempotent across restarts) and returns its id. */
export async function seedDemo(app: App): Promise<string> {
  const { models, services } = app;
  const actor = { userId: null, ip: 'seed' };
  const ensureUser = async (who: { email: string; name: string }, kind: 'professional' | 'client') => {
    const existing = await services.auth.findUserByEmail(who.email);
    if (existing) return existing;
    await services.auth.register({ ...who, kind, password: DEMO.password }, actor);
    return (await services.auth.findUserByEmail(who.email))!;
  };
  const admin = await ensureUser(DEMO.admin, 'professional');
  const colleague = await ensureUser(DEMO.colleague, 'professional');
  const client = await ensureUser(DEMO.client, 'client');
  const mine = await services.practices.memberPracticeIds(admin._id);
  const found = await models.Practice.findOne({ name: DEMO.practice, _id: { $in: mine } }).lean();
  if (found) return String(found._id);
  const practice = await services.practices.create({ name: DEMO.practice, phone: '+1 (555) 010-2030' }, admin, actor);
  const pid = String(practice._id);
  // Demo people, made up here: they are joined directly rather than invited (real people consent through invitations).
  await services.practices.join(pid, colleague, 'colleague', actor);
  await services.practices.setContactUsAssignees(pid, { assigneeIds: [String(colleague._id)] }, actor);
  await services.practices.createService(
    pid,
    { name: 'Billing question', description: 'Invoices, insurance and payments.', assigneeIds: [String(admin._id)] },
    actor,
  );
  await services.clients.link(pid, client, DEMO.client.name, actor);
  return pid;
}
