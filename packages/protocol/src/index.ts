export * from './attachments.ts';
export * from './audit.ts';
export * from './auth.ts';
export * from './common.ts';
export * from './errors.ts';
export * from './practices.ts';
export * from './socket.ts';
export * from './threads.ts';
