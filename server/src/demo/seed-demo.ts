import type { App } from '../app.ts';
// Also read by scripts/start.mjs, which prints the demo sign-ins in its start box. Embedded development default only:
// the server refuses CLOCKTREE_DEMO in production.
import accounts from './demo-accounts.json' with { type: 'json' };

export const DEMO = {
  ...accounts,
  /** As the example practice site (examples/practice-site/) states them. */
  profile: {
    phone: '(503) 555-0142',
    address: { street: '1420 Maple Street, Suite 3', city: 'Portland', region: 'OR', postcode: '97214', country: 'US' },
    timeZone: 'America/Los_Angeles',
  },
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
  if (found) {
    // A demo practice made by an earlier version: brought in line with the example site's details.
    const { phone, address, timeZone } = DEMO.profile;
    const current = { phone: found.phone, address: { ...address, ...found.address }, timeZone: found.timeZone };
    if (JSON.stringify(current) !== JSON.stringify({ phone, address, timeZone }))
      await services.practices.update(String(found._id), { ...DEMO.profile }, actor);
    return String(found._id);
  }
  const practice = await services.practices.create({ name: DEMO.practice, phone: DEMO.profile.phone }, admin, actor);
  const pid = String(practice._id);
  await services.practices.update(pid, { ...DEMO.profile }, actor);
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
