import { describe, expect, it } from 'vitest';
import { createSseParser, type SseMessage } from '../../src/web/sse-parser.js';

describe('the dashboard’s server-sent events parser', () => {
  const parse = (chunks: string[]) => {
    const out: SseMessage[] = [];
    const push = createSseParser((m) => out.push(m));
    for (const c of chunks) push(c);
    return out;
  };

  it('reads the events the API writes, split anywhere across chunks', () => {
    const text =
      ': connected\n\nid: 7\nevent: deploy:started\ndata: {"seq":7}\n\n: ping\n\nid: 8\nevent: stage:advanced\ndata: {"seq":8}\n\n';
    const whole = parse([text]);
    expect(whole).toEqual([
      { id: '7', event: 'deploy:started', data: '{"seq":7}' },
      { id: '8', event: 'stage:advanced', data: '{"seq":8}' },
    ]);
    // Every split point gives the same messages (the network may cut a message anywhere).
    for (let i = 1; i < text.length; i++) expect(parse([text.slice(0, i), text.slice(i)])).toEqual(whole);
  });

  it('joins multi-line data, accepts CRLF and CR line ends, and waits for the blank line', () => {
    expect(parse(['data: a\r\ndata: b\r\n\r\n', 'data:c\rdata: d\r\r', 'data: e\n\n'])).toEqual([
      { event: 'message', data: 'a\nb' },
      { event: 'message', data: 'c\nd' },
      { event: 'message', data: 'e' },
    ]);
    expect(parse(['event: x\ndata: incomplete\n'])).toEqual([]);
    // A CRLF cut between its two characters is still one line end.
    expect(parse(['data: a\r', '\ndata: b\r', '\n\r', '\n'])).toEqual([{ event: 'message', data: 'a\nb' }]);
  });
});
