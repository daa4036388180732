// A config test: it reads electron-builder.yml and checks it against the build in out/ (vitest's
// global setup runs `npm run build` first) and against node_modules. It builds no installer:
// Electron's downloads cannot be reached here (README, Packaging). The matching follows
// electron-builder's own: minimatch with dot files, patterns applied in order, a negated one
// taking back what an earlier one matched, a bare folder name standing for everything under it.
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { Minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';

const root = path.resolve(import.meta.dirname, '..');

const platformSchema = z.object({ target: z.array(z.string()), icon: z.string() });
const configSchema = z.object({
  appId: z.string().min(1),
  productName: z.string(),
  directories: z.object({ buildResources: z.string(), output: z.string() }),
  files: z.array(z.string()).min(1),
  asar: z.object({ smartUnpack: z.boolean() }),
  asarUnpack: z.array(z.string()).min(1),
  npmRebuild: z.boolean(),
  electronFuses: z.record(z.string(), z.boolean()),
  linux: platformSchema,
  mac: platformSchema,
  win: platformSchema,
});
const config = configSchema.parse(parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')));
const packageJson = z
  .object({ main: z.string(), dependencies: z.record(z.string(), z.string()), optionalDependencies: z.record(z.string(), z.string()).optional() })
  .parse(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')));

function expand(pattern: string): Minimatch[] {
  const negate = pattern.startsWith('!');
  const body = negate ? pattern.slice(1) : pattern;
  const bodies = !body.includes('.') && !new Minimatch(body).hasMagic() ? [body, `${body}/**/*`] : [body];
  return bodies.map((b) => new Minimatch(negate ? `!${b}` : b, { dot: true }));
}

/** Whether electron-builder's pattern list takes `file` (a path relative to the project, with /). */
function matchesAll(file: string, patterns: string[]): boolean {
  let match = false;
  for (const matcher of patterns.flatMap(expand)) {
    if (match !== matcher.negate) continue;
    match = matcher.match(file);
  }
  return match;
}

/** Files under `dir` (relative to the project, with /), skipping nested node_modules unless asked. */
function walk(dir: string, options: { skip: string[] } = { skip: ['node_modules', '.git'] }): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir === '' ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!options.skip.includes(entry.name)) found.push(...walk(rel, options));
    } else found.push(rel);
  }
  return found;
}

/** The production dependency tree as electron-builder collects it: dependencies and installed optional ones, never devDependencies. */
function runtimePackages(): Map<string, string> {
  const byDir = new Map<string, string>();
  const queue = [root];
  while (queue.length > 0) {
    const dir = queue.pop()!;
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
    const optional = new Set(Object.keys(pkg.optionalDependencies ?? {}));
    for (const name of new Set([...Object.keys(pkg.dependencies ?? {}), ...optional])) {
      const found = resolvePackage(name, dir);
      if (found === null) {
        // Optional ones for other platforms (the keyring's per-platform packages) are not installed.
        if (optional.has(name)) continue;
        throw new Error(`${name}, a dependency of ${path.relative(root, dir) || 'the app'}, is not installed: run npm ci`);
      }
      if (!byDir.has(found)) {
        byDir.set(found, name);
        queue.push(found);
      }
    }
  }
  return byDir;
}

function resolvePackage(name: string, from: string): string | null {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dir === root || dir === path.dirname(dir)) return null;
  }
}

/**
 * The native addons a package loads, relative to the project: its .node files, and for each
 * binding.gyp the build/Release/TARGET.node that a rebuild for Electron (npmRebuild) writes.
 */
function nativeFiles(packageDir: string): string[] {
  const rel = path.relative(root, packageDir).split(path.sep).join('/');
  const files = walk(rel);
  const addons = files.filter((f) => f.endsWith('.node'));
  for (const gyp of files.filter((f) => path.posix.basename(f) === 'binding.gyp')) {
    const targets = [...readFileSync(path.join(root, gyp), 'utf8').matchAll(/['"]target_name['"]\s*:\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
    for (const target of targets) addons.push(`${path.posix.dirname(gyp)}/build/Release/${target}.node`);
  }
  return [...new Set(addons)];
}

/** Bare module specifiers the built main process, CLI and worker import (the bundle leaves packages external). */
function bareImports(): Set<string> {
  const specifiers = new Set<string>();
  for (const file of walk('out/main').filter((f) => f.endsWith('.js'))) {
    const code = readFileSync(path.join(root, file), 'utf8');
    const found = [
      ...code.matchAll(/^(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']/gm),
      ...code.matchAll(/^import\s*["']([^"']+)["']/gm),
      ...code.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
    ].map((m) => m[1]!);
    for (const specifier of found) if (!specifier.startsWith('.')) specifiers.add(specifier);
  }
  return specifiers;
}

const packageName = (specifier: string): string => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(1, 4).toString('latin1'), `${file} is not a PNG`).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('electron-builder.yml (config test: checked against the build and node_modules, no installer is built)', () => {
  const projectFiles = walk('', { skip: ['node_modules', '.git', config.directories.output] });
  const packaged = (file: string): boolean => matchesAll(file, config.files);

  it('names only files that exist after `npm run build`, and packs the whole build', () => {
    for (const pattern of config.files.filter((p) => !p.startsWith('!'))) {
      expect(projectFiles.filter((f) => matchesAll(f, [pattern])), `files: "${pattern}" matches nothing`).not.toHaveLength(0);
    }
    const build = walk('out');
    expect(build.length).toBeGreaterThan(0);
    expect(build.filter((f) => !packaged(f))).toEqual([]);
    expect(packaged('package.json')).toBe(true);
    expect(packaged(packageJson.main)).toBe(true);
  });

  it('packs the pipeline worker beside the main bundle, the migrations, the preload, the page and the icons the app shows', () => {
    const migrations = readdirSync(path.join(root, 'src/main/core/store/migrations')).filter((f) => f.endsWith('.sql'));
    expect(migrations.length).toBeGreaterThan(0);
    const needed = ['out/main/index.js', 'out/main/pipeline-worker.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'resources/icon.png', ...migrations.map((m) => `out/main/migrations/${m}`)];
    for (const file of needed) {
      expect(existsSync(path.join(root, file)), `${file} is missing after the build`).toBe(true);
      expect(packaged(file), `${file} is not packed`).toBe(true);
    }
  });

  it('leaves sources, tests and node_modules to electron-builder: no pattern takes them in', () => {
    expect(config.files.filter((p) => p.includes('node_modules'))).toEqual([]);
    expect(projectFiles.filter((f) => packaged(f) && (f.startsWith('src/') || f.startsWith('e2e/') || f.endsWith('.test.ts')))).toEqual([]);
  });

  it('every package the built main process imports is a runtime dependency, so it is in the installer', () => {
    const imports = [...bareImports()];
    expect(imports).toContain('better-sqlite3');
    const builtins = new Set(builtinModules);
    const outside = imports.filter((s) => !s.startsWith('node:') && !builtins.has(s) && s !== 'electron' && !(packageName(s) in packageJson.dependencies));
    expect(outside).toEqual([]);
  });

  it('unpacks every native addon of the runtime dependency tree from the asar, and only what it names', () => {
    const natives = new Map<string, string[]>();
    for (const [dir, name] of runtimePackages()) {
      const files = nativeFiles(dir);
      if (files.length > 0) natives.set(name, files);
    }
    // The detection itself: the native modules Vaultdesk is known to load must be found
    // (cpu-features is optional: npm drops it where it cannot be compiled).
    const known = ['better-sqlite3', 'ssh2', ...(existsSync(path.join(root, 'node_modules/cpu-features/package.json')) ? ['cpu-features'] : [])];
    expect([...natives.keys()]).toEqual(expect.arrayContaining(known));
    expect([...natives.keys()].some((name) => name.startsWith('@napi-rs/keyring-'))).toBe(true);
    const packedInside = [...natives.values()].flat().filter((file) => !matchesAll(file, config.asarUnpack));
    expect(packedInside).toEqual([]);
    expect(config.asar.smartUnpack).toBe(false);
    // The worker and the migrations stay inside the archive, where Electron reads them.
    expect(matchesAll('out/main/pipeline-worker.js', config.asarUnpack)).toBe(false);
    expect(config.npmRebuild).toBe(true);
  });

  it('sets the fuses: no running as Node, no NODE_OPTIONS, no --inspect; asar integrity checked and the app only from the asar', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('builds AppImage and deb, dmg and nsis, each with an icon from resources/ big enough to convert', () => {
    expect(config.productName).toBe('Vaultdesk');
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.mac.target).toContain('dmg');
    expect(config.win.target).toContain('nsis');
    for (const { icon } of [config.linux, config.mac, config.win]) {
      expect(icon.startsWith(`${config.directories.buildResources}/`)).toBe(true);
      const file = path.join(root, icon);
      expect(existsSync(file), `${icon} is missing`).toBe(true);
      // electron-builder makes the .icns from 512 px and the .ico from 256 px at least.
      const { width, height } = pngSize(file);
      expect(Math.min(width, height)).toBeGreaterThanOrEqual(512);
    }
  });
});
