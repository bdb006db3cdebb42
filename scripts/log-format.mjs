// The one formatter of the server's JSON (pino) log lines for humans: `npm start` prints them through it.

const LEVELS = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const COLORS = { 40: '\x1b[33m', 50: '\x1b[31m', 60: '\x1b[31m' };

/** One pino JSON line as one compact human line (a stack trace under it, indented); other lines unchanged. */
export function renderLogLine(line) {
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    return line;
  }
  if (!entry || typeof entry !== 'object' || typeof entry.level !== 'number') return line;

  const { level, time, msg, pid: _pid, hostname: _hostname, v: _v, ...rest } = entry;
  const stacks = [];
  const fields = flatten(rest, '', stacks).map(([k, v]) => `${k}=${v}`);
  let label = (LEVELS[level] ?? `L${level}`).padEnd(5);
  if (useColor && COLORS[level]) label = `${COLORS[level]}${label}\x1b[0m`;
  const head = [clock(time), label, msg ?? '', ...fields].filter((s) => s !== '').join(' ');
  return [head, ...stacks].join('\n');
}

function flatten(obj, prefix, stacks) {
  const out = [];
  for (const [key, value] of Object.entries(obj)) {
    const name = prefix + key;
    if (key === 'stack' && typeof value === 'string') {
      // A stack trace is unreadable as key=value; print it under the line, indented.
      stacks.push(...value.split('\n').map((l) => `    ${l.trim()}`));
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      out.push(...flatten(value, `${name}.`, stacks));
    } else {
      out.push([name, formatValue(value)]);
    }
  }
  return out;
}

function formatValue(value) {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value);
}

function clock(time) {
  const d = typeof time === 'number' || typeof time === 'string' ? new Date(time) : new Date();
  return Number.isNaN(d.getTime()) ? '--:--:--' : d.toTimeString().slice(0, 8);
}
