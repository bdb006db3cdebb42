import type { Address, DirectoryFields, PracticeAdmin, PracticePublic, Service } from '@clocktree/protocol';
import type { PracticeDoc, ServiceDoc } from './practice.model.ts';

export const toService = (s: Pick<ServiceDoc, '_id' | 'assigneeIds'>, name: string, description: string): Service => ({
  id: String(s._id),
  name,
  description,
  assigneeIds: s.assigneeIds.map(String),
});

const NO_ADDRESS: Address = { street: '', city: '', region: '', postcode: '', country: '' };

/** The photo's URL: a new one for each upload, so that it can be cached for good. */
export const photoUrlOf = (p: Pick<PracticeDoc, '_id' | 'hasPhoto' | 'photoRev'>, publicUrl: string): string | null =>
  p.hasPhoto ? `${publicUrl}/api/v1/practices/${p._id}/photo?v=${p.photoRev}` : null;

/**
 * `services` opened by `practices.services(p)`: the practice document holds them sealed. `publicUrl`: where
 * browsers reach the service (the photo's URL).
 */
export const toPracticePublic = (
  p: PracticeDoc,
  listed: boolean,
  services: Service[],
  publicUrl: string,
): PracticePublic => ({
  id: String(p._id),
  name: p.name,
  phone: p.phone,
  address: { ...NO_ADDRESS, ...(p.address as Partial<Address> | undefined) },
  timeZone: p.timeZone ?? 'UTC',
  photoUrl: photoUrlOf(p, publicUrl),
  services: services.map(({ id, name, description }) => ({ id, name, description })),
  listed,
});

export const toPracticeAdmin = (
  p: PracticeDoc,
  listed: boolean,
  services: Service[],
  publicUrl: string,
): PracticeAdmin => ({
  ...toPracticePublic(p, listed, services, publicUrl),
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
