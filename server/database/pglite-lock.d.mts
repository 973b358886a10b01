export declare class EmbeddedDatabaseLocked extends Error {
  constructor(dataDir: string, pid: number);
  readonly dataDir: string;
  readonly pid: number;
}
export declare function acquirePgliteLock(dataDir: string): { release: () => void };
