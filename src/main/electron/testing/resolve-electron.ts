/**
 * Module resolve hook: `electron` (and `electron/main`) resolve to the stand-in beside this
 * file; everything else as usual. Registered by register-electron.ts.
 */
const STAND_IN = new URL('./electron-stand-in.ts', import.meta.url).href;

interface ResolveResult {
  url: string;
  shortCircuit?: boolean;
  format?: string | null;
}

export async function resolve(
  specifier: string,
  context: unknown,
  next: (specifier: string, context: unknown) => Promise<ResolveResult>,
): Promise<ResolveResult> {
  if (specifier === 'electron' || specifier === 'electron/main') return { url: STAND_IN, shortCircuit: true };
  return next(specifier, context);
}
