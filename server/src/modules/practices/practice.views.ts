import type { Address, DirectoryFields, PracticeAdmin, PracticePublic, Service } from '@clocktree/protocol';
import type { PracticeDoc, ServiceDoc } from './practice.model.ts';

export const toService = (s: Pick<ServiceDoc, '_id' | 'assigneeIds'>, name: string, description: string): Service => ({
  id: String(s._id),
  name,
  description,
  assigneeIds: s.assigneeIds.map(String),
});

const NO_ADDRESS: Address = { street: '', city: '', region: '', postcode: '', country: '' };

/** `services` opened by `practices.services(p)`: the practice document holds them sealed. */
export const toPracticePublic = (p: PracticeDoc, listed: boolean, services: Service[]): PracticePublic => ({
  id: String(p._id),
  name: p.name,
  phone: p.phone,
  address: { ...NO_ADDRESS, ...(p.address as Partial<Address> | undefined) },
  timeZone: p.timeZone ?? 'UTC',
  photoUrl: null,
  services: services.map(({ id, name, description }) => ({ id, name, description })),
  listed,
});

export const toPracticeAdmin = (p: PracticeDoc, listed: boolean, services: Service[]): PracticeAdmin => ({
  ...toPracticePublic(p, listed, services),
  allowedOrigins: p.allowedOrigins,
  directoryOptIn: p.directoryOptIn,
  contactUsAssigneeIds: p.contactUsAssigneeIds.map(String),
  mailFromName: p.mailFromName ?? '',
  replyTo: p.replyTo ?? '',
  directory: directoryFields(p),
});

/** Documents written before these fields existed read as empty. */
export const directoryFields = (p: Partial<DirectoryFields>): DirectoryFields => ({
  specialties: p.specialties ?? [],
  issues: p.issues ?? [],
  approaches: p.approaches ?? [],
  languages: p.languages ?? [],
  inPerson: p.inPerson ?? false,
  telehealth: p.telehealth ?? false,
  acceptingNewClients: p.acceptingNewClients ?? false,
  insurance: p.insurance ?? [],
  slidingScale: p.slidingScale ?? false,
  about: p.about ?? '',
});
