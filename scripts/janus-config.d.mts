// Types of janus-config.mjs, for the TypeScript that imports it (tests/helpers/janus-netns.ts).

export const JANUS_BIN: string;

export interface JanusConfigOptions {
  /** Janus's `server_name`. */
  serverName: string;
  /** Janus's admin API secret. */
  adminSecret: string;
  /** The videoroom plugin's `admin_key`: needed to create rooms and to list private ones. */
  adminKey: string;
  /** Where the HTTP API (and the admin API) listen. */
  httpAddress: string;
  httpPort: number;
  /** Admin API port; without it the admin API is off. */
  adminPort?: number;
  /** 0 (nothing) to 7 (everything); 4 (info) is Janus's default, 3 warnings and errors only. */
  debugLevel: number;
  /** Seconds. */
  sessionTimeout: number;
  /** Janus's `interface`: the address it puts in SDPs. */
  sdpAddress?: string;
  /** Janus's `ice_enforce_list`: the only interfaces (or addresses) ICE gathers candidates on. */
  iceEnforceList?: string;
  /** Where the sampleevh event handler posts; without it no event handler is loaded. */
  eventHandlerUrl?: string;
  /** The event handler's basic-auth password (user `janus`). */
  eventSecret?: string;
}

export function janusLibDir(): string;
export function jcfg(sections: Record<string, Record<string, string | number | boolean>>): string;
export function janusConfigFiles(dir: string, options: JanusConfigOptions): Record<string, string>;
export function writeJanusConfig(dir: string, options: JanusConfigOptions): void;
