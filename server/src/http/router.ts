import Router from '@koa/router';
import type { AppState } from './state.ts';

export type AppRouter = Router<AppState>;
export const createRouter = (prefix = '') => new Router<AppState>({ prefix });
