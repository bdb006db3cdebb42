import type { PracticeAdmin, PracticePublic, Service } from '@clocktree/protocol';
import type { PracticeDoc, ServiceDoc } from './practice.model.ts';

export const toService = (s: Pick<ServiceDoc, '_id' | 'assigneeIds'>, name: string, description: string): Service => ({
  id: String(s._id),
  name,
  description,
  assigneeIds: s.assigneeIds.map(String),
});

/** `services` opened by `practices.services(p)`: the practice document holds them sealed. */
export const toPracticePublic = (p: PracticeDoc, listed: boolean, services: Service[]): PracticePublic => ({
  id: String(p._id),
  name: p.name,
  phone: p.phone,
  services: services.map(({ id, name, description }) => ({ id, name, description })),
  listed,
});

export const toPracticeAdmin = (p: PracticeDoc, listed: boolean, services: Service[]): PracticeAdmin => ({
  ...toPracticePublic(p, listed, services),
  allowedOrigins: p.allowedOrigins,
  directoryOptIn: p.directoryOptIn,
  contactUsAssigneeIds: p.contactUsAssigneeIds.map(String),
});
