export function bundleServerEntry(entry: string, name: string): Promise<string>;
export function stopBundler(): Promise<void>;
export const WORKER_HEAP_MB: number;
export function serverProcessArgs(bundle: string, options?: { heapMb?: number | null; extra?: string[] }): string[];
