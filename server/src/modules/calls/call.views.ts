import type { Call } from '@clocktree/protocol';
import type { CallDoc } from './call.model.ts';

const idOrNull = (v: unknown) => (v ? String(v) : null);

export const toCall = (d: CallDoc, callerName: string): Call => ({
  id: String(d._id),
  kind: d.kind,
  state: d.state,
  practiceId: idOrNull(d.practiceId),
  appointmentId: idOrNull(d.appointmentId),
  callerId: String(d.callerId),
  calleeId: String(d.calleeId),
  from: { id: String(d.callerId), name: callerName },
  createdAt: d.createdAt.toISOString(),
  ringUntil: d.ringUntil.toISOString(),
  answeredAt: d.answeredAt?.toISOString() ?? null,
  endedAt: d.endedAt?.toISOString() ?? null,
  endReason: d.endReason ?? null,
});
