// Bundles the dashboard (src/web) into dist/web: minified, content-hashed JS and CSS (uPlot's CSS included), the
// favicon, and an index.html pointing at them. No CDN: everything the page loads comes from this server.
// Usage: node scripts/build-web.mjs [--outdir dir]   (default dist/web; tests build into a temporary directory)
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WEB = join(ROOT, 'src/web');

/** Builds into `outdir`; returns the asset paths index.html refers to. */
export async function buildWeb({ outdir = join(ROOT, 'dist/web'), quiet = false } = {}) {
  const assets = join(outdir, 'assets');
  // Old hashed files would pile up with every build: start clean.
  await rm(assets, { recursive: true, force: true });
  await mkdir(assets, { recursive: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { app: join(WEB, 'main.ts'), styles: join(WEB, 'styles.css') },
    bundle: true,
    minify: true,
    sourcemap: 'linked',
    format: 'esm',
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    // A server import that is not type-only would drag Node modules in: on the browser platform that fails the build.
    platform: 'browser',
    outdir: assets,
    entryNames: '[name]-[hash]',
    metafile: true,
    legalComments: 'linked',
    logLevel: quiet ? 'warning' : 'info',
  });
  const outputs = Object.entries(result.metafile.outputs);
  const find = (entry, ext) => {
    const hit = outputs.find(
      ([file, o]) => o.entryPoint && o.entryPoint.endsWith(entry) && file.endsWith(ext),
    );
    if (!hit) throw new Error(`build-web: no ${ext} output for ${entry}`);
    return `/assets/${basename(hit[0])}`;
  };
  const js = find('src/web/main.ts', '.js');
  const css = find('src/web/styles.css', '.css');

  const icon = await readFile(join(WEB, 'favicon.svg'));
  const iconName = `favicon-${createHash('sha256').update(icon).digest('hex').slice(0, 8)}.svg`;
  await writeFile(join(assets, iconName), icon);

  const template = await readFile(join(WEB, 'index.html'), 'utf8');
  const html = template.replace('%JS%', js).replace('%CSS%', css).replace('%FAVICON%', `/assets/${iconName}`);
  await writeFile(join(outdir, 'index.html'), html);
  if (!quiet)
    console.log(
      `dashboard built into ${outdir.startsWith(ROOT) ? relative(ROOT, outdir) : outdir}: ${js}, ${css}`,
    );
  return { js, css, favicon: `/assets/${iconName}` };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--outdir');
  const outdir = i > 0 ? resolve(process.argv[i + 1]) : undefined;
  buildWeb({ ...(outdir ? { outdir } : {}), quiet: process.argv.includes('--quiet') }).catch((e) => {
    console.error(e.message ?? e);
    process.exit(1);
  });
}
