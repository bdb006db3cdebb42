// @ts-check
// Janus's configuration, written as files for Debian's janus (1.1.x): one source for the local Janus of `npm start`
// (scripts/janus-local.mjs) and the namespaced Janus of the tests (tests/helpers/janus-netns.ts).
// Node builtins only: start.mjs imports this before setup has run `npm ci`. Types: janus-config.d.mts.
import fs from 'node:fs';
import path from 'node:path';

export const JANUS_BIN = '/usr/bin/janus';

/** Debian's multiarch folder of Janus's modules, e.g. /usr/lib/x86_64-linux-gnu/janus. */
export function janusLibDir() {
  const candidates = fs.existsSync('/usr/lib') ? fs.readdirSync('/usr/lib').map((d) => `/usr/lib/${d}/janus`) : [];
  return candidates.find((d) => fs.existsSync(`${d}/plugins`)) ?? '/usr/lib/x86_64-linux-gnu/janus';
}

/** Everything Debian ships besides what a video call needs; not loading them keeps the start fast and quiet. */
const OTHER_PLUGINS = [
  'audiobridge',
  'duktape',
  'echotest',
  'lua',
  'nosip',
  'recordplay',
  'sip',
  'streaming',
  'textroom',
  'videocall',
  'voicemail',
];
const OTHER_TRANSPORTS = ['websockets', 'pfunix', 'mqtt', 'nanomsg', 'rabbitmq'];
const OTHER_EVENT_HANDLERS = ['gelfevh', 'mqttevh', 'nanomsgevh', 'rabbitmqevh', 'wsevh'];
/** @param {string[]} names */
const so = (names) => names.map((n) => `libjanus_${n}.so`).join(',');

/**
 * Janus's libconfig-like format; every value here is ours (paths, hex secrets, addresses, ports).
 * @param {Record<string, Record<string, string | number | boolean>>} sections
 */
export function jcfg(sections) {
  /** @param {string | number | boolean} v */
  const value = (v) => (typeof v === 'string' ? JSON.stringify(v) : String(v));
  return Object.entries(sections)
    .map(([name, entries]) =>
      [`${name}: {`, ...Object.entries(entries).map(([k, v]) => `\t${k} = ${value(v)}`), '}'].join('\n'),
    )
    .join('\n\n')
    .concat('\n');
}

/**
 * The files of a Janus that loads only the videoroom plugin, the HTTP transport and, when `eventHandlerUrl` is given,
 * the sampleevh event handler; keyed by file name.
 * @param {string} dir
 * @param {import('./janus-config.d.mts').JanusConfigOptions} o
 * @returns {Record<string, string>}
 */
export function janusConfigFiles(dir, o) {
  const lib = janusLibDir();
  const events = o.eventHandlerUrl !== undefined;
  /** @type {Record<string, string>} */
  const files = {
    'janus.jcfg': jcfg({
      general: {
        configs_folder: dir,
        plugins_folder: `${lib}/plugins`,
        transports_folder: `${lib}/transports`,
        events_folder: `${lib}/events`,
        loggers_folder: `${lib}/loggers`,
        server_name: o.serverName,
        // The address put in SDPs; without it Janus picks one of the machine's addresses itself.
        ...(o.sdpAddress ? { interface: o.sdpAddress } : {}),
        debug_level: o.debugLevel,
        debug_colors: false,
        session_timeout: o.sessionTimeout,
        admin_secret: o.adminSecret,
      },
      media: { rtp_port_range: '20000-20100' },
      nat: { ...(o.iceEnforceList ? { ice_enforce_list: o.iceEnforceList } : {}), nice_debug: false },
      plugins: { disable: so(OTHER_PLUGINS) },
      transports: { disable: so(OTHER_TRANSPORTS) },
      loggers: { disable: 'libjanus_jsonlog.so' },
      events: events
        ? { broadcast: true, disable: so(OTHER_EVENT_HANDLERS), stats_period: 0 }
        : { broadcast: false, disable: so([...OTHER_EVENT_HANDLERS, 'sampleevh']) },
    }),
    'janus.plugin.videoroom.jcfg': jcfg({ general: { admin_key: o.adminKey, events } }),
    'janus.transport.http.jcfg': jcfg({
      general: { json: 'plain', base_path: '/janus', http: true, port: o.httpPort, ip: o.httpAddress, https: false },
      admin: {
        admin_base_path: '/admin',
        admin_http: o.adminPort !== undefined,
        ...(o.adminPort !== undefined ? { admin_port: o.adminPort, admin_ip: o.httpAddress } : {}),
        admin_https: false,
      },
    }),
  };
  if (o.eventHandlerUrl !== undefined)
    files['janus.eventhandler.sampleevh.jcfg'] = jcfg({
      general: {
        enabled: true,
        // joined/leaving come from the videoroom plugin; sessions, handles and webrtc states let usage tell who was
        // connected when.
        events: 'sessions,handles,plugins,webrtc',
        grouping: true,
        json: 'plain',
        backend: o.eventHandlerUrl,
        // The server's /internal/janus-events takes basic auth with user `janus` and the event secret as password.
        ...(o.eventSecret ? { backend_user: 'janus', backend_pwd: o.eventSecret } : {}),
        max_retransmissions: 5,
        retransmissions_backoff: 100,
      },
    });
  return files;
}

/**
 * Writes janusConfigFiles() into dir (readable by this user only: they hold secrets) and removes a sampleevh file
 * left by an earlier run that had an event handler. Start Janus with `-F dir -C dir/janus.jcfg`.
 * @param {string} dir
 * @param {import('./janus-config.d.mts').JanusConfigOptions} o
 */
export function writeJanusConfig(dir, o) {
  const files = janusConfigFiles(dir, o);
  fs.rmSync(path.join(dir, 'janus.eventhandler.sampleevh.jcfg'), { force: true });
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text, { mode: 0o600 });
    // `mode` applies only when the file is created.
    fs.chmodSync(file, 0o600);
  }
}
