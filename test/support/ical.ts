/**
 * A small RFC 5545 reader for the tests (no iCalendar parser is installed): lines unfolded
 * (a CRLF followed by a space or tab continues the line before, §3.1), each content line split into
 * its name, parameters and value (§3.1: `NAME;PARAM=value:value`), values unescaped (§3.3.11), and
 * the VEVENT components collected.
 */
export interface ICalProperty {
  name: string;
  params: Record<string, string>;
  value: string;
}

export type ICalEvent = Record<string, ICalProperty>;

export function unfold(text: string): string[] {
  return text
    .replace(/\r\n[ \t]/g, '')
    .split('\r\n')
    .filter((line) => line.length > 0);
}

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

/** The calendar's VEVENTs, each by property name (the last of a name wins); throws on an unbalanced document. */
export function readEvents(text: string): ICalEvent[] {
  const lines = unfold(text).map(property);
  if (lines[0]?.name !== 'BEGIN' || lines[0].value !== 'VCALENDAR' || lines.at(-1)?.value !== 'VCALENDAR') throw new Error('not a VCALENDAR');
  const events: ICalEvent[] = [];
  let current: ICalEvent | null = null;
  for (const p of lines) {
    if (p.name === 'BEGIN' && p.value === 'VEVENT') current = {};
    else if (p.name === 'END' && p.value === 'VEVENT') {
      if (!current) throw new Error('END:VEVENT without BEGIN');
      events.push(current);
      current = null;
    } else if (current) current[p.name] = p;
  }
  if (current) throw new Error('VEVENT without END');
  return events;
}
