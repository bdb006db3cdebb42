import assert from 'node:assert/strict';
import type { ParsedMail } from 'mailparser';
import ical from 'node-ical';

/** The one .ics attachment of a parsed mail, parsed back with node-ical, as a calendar application would read it. */
export function calendarOf(mail: ParsedMail) {
  const files = mail.attachments.filter((a) => a.filename?.endsWith('.ics'));
  assert.equal(files.length, 1, 'one .ics attached');
  assert.match(files[0]!.contentType, /^text\/calendar/);
  const raw = files[0]!.content.toString('utf8');
  const parsed = ical.sync.parseICS(raw);
  const events = Object.values(parsed).filter((c) => c?.type === 'VEVENT') as ical.VEvent[];
  assert.equal(events.length, 1);
  // Long lines are folded (RFC 5545 §3.1): unfolded, each property is one line.
  const unfolded = raw.replace(/\r\n[ \t]/g, '');
  return { raw, unfolded, event: events[0]!, method: /^METHOD:(.+)$/m.exec(raw)?.[1]?.trim() };
}
