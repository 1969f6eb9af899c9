/** First non-blank line of a possibly long text (deployer output, reasons), trimmed so an event stays one line. */
export function oneLine(text: string, max = 160): string {
  const first = text.split('\n').find((l) => l.trim()) ?? '';
  const t = first.trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
