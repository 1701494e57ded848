export declare function findElectron(
  env?: Record<string, string | undefined>,
  pkgDir?: string | null,
): { ok: true; binary: string; version: string } | { ok: false; version: string | null; reason: string };
export declare function hasDisplay(platform?: NodeJS.Platform, env?: Record<string, string | undefined>): boolean;
