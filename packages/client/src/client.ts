import type { Attachment, ContactUsBody, CreateContactUsResult, PracticePublic } from '@clocktree/protocol';
import type { z } from 'zod';
import { createTransport, type HttpOptions, type Request, type RequestOptions } from './http.ts';
import { threadResources, type ThreadResources } from './threads.ts';
import { uploadAttachment, type UploadFile, type UploadOptions, type UploadOwner } from './upload.ts';

export type ContactUsResult = z.infer<typeof CreateContactUsResult>;

export interface Client extends ThreadResources {
  /** Any API call; rejects with an `ApiError`. */
  request: Request;
  getPractice(pid: string, options?: RequestOptions): Promise<{ practice: PracticePublic }>;
  contactUs(pid: string, body: ContactUsBody, options?: RequestOptions): Promise<ContactUsResult>;
  /** Multipart upload with progress (XMLHttpRequest in browsers); see `uploadAttachment`. */
  uploadAttachment(owner: UploadOwner, file: UploadFile, options?: UploadOptions): Promise<Attachment>;
}

export function createClient(options: HttpOptions): Client {
  const transport = createTransport(options);
  const { request } = transport;
  const practicePath = (pid: string) => `/api/v1/practices/${encodeURIComponent(pid)}`;
  return {
    request,
    getPractice: (pid, init) => request('GET', practicePath(pid), undefined, init),
    contactUs: (pid, body, init) => request('POST', `${practicePath(pid)}/contact-us`, body, init),
    uploadAttachment: (pid, file, init) => uploadAttachment(options, pid, file, init),
    ...threadResources(transport),
  };
}
