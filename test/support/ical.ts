import ICAL from 'ical.js';

/**
 * The tests' view of an iCalendar document: parsed by ical.js, each property as its content line
 * (`NAME;PARAM=value:value`, §3.1) with its value unescaped (§3.3.11).
 */
export interface ICalProperty {
  name: string;
  params: Record<string, string>;
  value: string;
}

export type ICalEvent = Record<string, ICalProperty>;

export function property(line: string): ICalProperty {
  // The value starts at the first colon outside a quoted parameter value.
  let quoted = false;
  let cut = -1;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') quoted = !quoted;
    else if (line[i] === ':' && !quoted) {
      cut = i;
      break;
    }
  }
  if (cut < 0) throw new Error(`not a content line: ${line}`);
  const [name, ...params] = line.slice(0, cut).split(';');
  return {
    name: name.toUpperCase(),
    params: Object.fromEntries(params.map((p) => [p.slice(0, p.indexOf('=')).toUpperCase(), p.slice(p.indexOf('=') + 1).replace(/^"|"$/g, '')])),
    value: line.slice(cut + 1).replace(/\\([\\;,nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c)),
  };
}

/**
 * The calendar's VEVENTs, each by property name (the last of a name wins), as ical.js (a full RFC 5545
 * parser) reads the document: it throws on a document that is not iCalendar. Each property is then
 * given as its content line reads (`property`), so tests compare the text a calendar app receives.
 */
export function readEvents(text: string): ICalEvent[] {
  const calendar = new ICAL.Component(ICAL.parse(text));
  if (calendar.name !== 'vcalendar') throw new Error('not a VCALENDAR');
  return calendar
    .getAllSubcomponents('vevent')
    .map((vevent) => Object.fromEntries(vevent.getAllProperties().map((p) => [p.name.toUpperCase(), property(p.toICALString())])));
}
