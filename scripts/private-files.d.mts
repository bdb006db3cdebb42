// Types of private-files.mjs, for the TypeScript that imports it (tests/integration/private-files.test.ts).

export function privateDir(dir: string): string;
export function privateTree(dir: string): void;
export function spawnPrivate<T>(spawnChild: () => T): T;
