import type { PracticeAdmin, PracticePublic, Service } from '@clocktree/protocol';
import type { PracticeDoc, ServiceDoc } from './practice.model.ts';

export const toService = (s: ServiceDoc): Service => ({
  id: String(s._id),
  name: s.name,
  description: s.description,
  assigneeIds: s.assigneeIds.map(String),
});

export const toPracticePublic = (p: PracticeDoc, listed: boolean): PracticePublic => ({
  id: String(p._id),
  name: p.name,
  phone: p.phone,
  services: p.services.map((s) => ({ id: String(s._id), name: s.name, description: s.description })),
  listed,
});

export const toPracticeAdmin = (p: PracticeDoc, listed: boolean): PracticeAdmin => ({
  ...toPracticePublic(p, listed),
  allowedOrigins: p.allowedOrigins,
  directoryOptIn: p.directoryOptIn,
  contactUsAssigneeIds: p.contactUsAssigneeIds.map(String),
});
