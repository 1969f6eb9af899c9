/** One server-sent event. */
export interface SseMessage {
  id?: string;
  event: string;
  data: string;
}

/**
 * Incremental text/event-stream parser (the HTML standard's rules, minus `retry`): feed it decoded chunks as they
 * arrive; it calls `onMessage` for each complete event. Comments (`: ping`) are skipped.
 */
export function createSseParser(onMessage: (m: SseMessage) => void): (chunk: string) => void {
  let buffer = '';
  let data: string[] = [];
  let event = '';
  let id: string | undefined;
  const dispatch = () => {
    if (data.length)
      onMessage({ ...(id !== undefined ? { id } : {}), event: event || 'message', data: data.join('\n') });
    data = [];
    event = '';
  };
  return (chunk: string) => {
    buffer += chunk;
    for (;;) {
      const nl = buffer.search(/\r\n|\r|\n/);
      // A CR at the very end may be the first half of a CRLF cut by the network: wait for the next chunk.
      if (nl < 0 || (nl === buffer.length - 1 && buffer[nl] === '\r')) break;
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + (buffer.startsWith('\r\n', nl) ? 2 : 1));
      if (line === '') {
        dispatch();
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') data.push(value);
      else if (field === 'event') event = value;
      else if (field === 'id') id = value;
    }
  };
}
