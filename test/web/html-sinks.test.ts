import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const WEB = join(process.cwd(), 'src/web');

async function sources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await sources(p)));
    else if (/\.(ts|html)$/.test(e.name)) out.push(p);
  }
  return out;
}

describe('the dashboard source', () => {
  it('never turns strings into HTML or code, and has no inline script or style', async () => {
    const files = await sources(WEB);
    expect(files.length).toBeGreaterThan(20);
    const sinks =
      /\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write|\beval\(|new Function\(|createContextualFragment|setAttribute\(\s*['"](style|on\w+)['"]|\.srcdoc\b/;
    const found: string[] = [];
    for (const f of files) {
      const text = await readFile(f, 'utf8');
      text.split('\n').forEach((line, i) => {
        if (sinks.test(line) && !/^\s*(\/\/|\*)/.test(line)) found.push(`${f}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(found).toEqual([]);
    const html = await readFile(join(WEB, 'index.html'), 'utf8');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle=|<style\b|\son\w+=/);
  });
});
