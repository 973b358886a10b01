export declare function roleOf(url: string): string;
export declare function runtimeGrantStatements(role: string): string[];
export declare function grantRuntimeRole(input: { ownerUrl: string; runtimeUrl: string }): Promise<string>;
