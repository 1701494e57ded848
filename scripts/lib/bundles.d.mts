import type { BuildOptions } from 'esbuild';
export declare function mainOptions(): BuildOptions;
export declare function preloadOptions(outfile?: string): BuildOptions;
export declare function hostCliOptions(): BuildOptions;
export declare function hostServerOptions(): BuildOptions;
export declare function reportWorkerHostOptions(): BuildOptions;
export declare function reportWorkerElectronOptions(): BuildOptions;
export declare const distDir: string;
