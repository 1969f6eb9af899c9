import { REFERENCE_END, REFERENCE_START } from './reference-markers.js';

/** docs/configuration.md with its generated reference replaced by `reference`; undefined without markers. */
export function spliceReference(doc: string, reference: string): string | undefined {
  const start = doc.indexOf(REFERENCE_START);
  const end = doc.indexOf(REFERENCE_END);
  if (start < 0 || end < start) return undefined;
  return `${doc.slice(0, start + REFERENCE_START.length)}\n\n${reference}\n${doc.slice(end)}`;
}
