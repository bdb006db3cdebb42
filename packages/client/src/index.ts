import type { ContactUsBody, CreateContactUsResult, PracticePublic } from '@clocktree/protocol';
import type { z } from 'zod';
import { createRequest, type HttpOptions, type Request, type RequestOptions } from './http.ts';

export { ApiError, type ApiErrorCode } from './api-error.ts';
export type { HttpMethod, HttpOptions as ClientOptions, RequestOptions } from './http.ts';

export type ContactUsResult = z.infer<typeof CreateContactUsResult>;

export interface Client {
  /** Any API call; rejects with an `ApiError`. */
  request: Request;
  getPractice(pid: string, options?: RequestOptions): Promise<{ practice: PracticePublic }>;
  contactUs(pid: string, body: ContactUsBody, options?: RequestOptions): Promise<ContactUsResult>;
}

export function createClient(options: HttpOptions): Client {
  const request = createRequest(options);
  const practicePath = (pid: string) => `/api/v1/practices/${encodeURIComponent(pid)}`;
  return {
    request,
    getPractice: (pid, init) => request('GET', practicePath(pid), undefined, init),
    contactUs: (pid, body, init) => request('POST', `${practicePath(pid)}/contact-us`, body, init),
  };
}
