export declare const PRODUCT_NAME: 'Relay Desk';
export declare const repoRoot: string;
export declare const distDir: string;
export declare const rendererOutDir: string;
export declare const outputs: {
  main: string;
  preload: string;
  host: string;
  hostServer: string;
  rendererIndex: string;
  stamp: string;
};
export declare function userDataDir(opts?: {
  platform?: NodeJS.Platform;
  env?: Record<string, string | undefined>;
  home?: string;
}): string;
