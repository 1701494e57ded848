export declare function build(opts?: { renderer?: boolean }): Promise<number>;
export declare function isStale(): Promise<boolean>;
export declare function ensureBuilt(opts?: { log?: (msg: string) => void }): Promise<boolean>;
