declare module 'jsfive' {
  export class File {
    constructor(buffer: ArrayBuffer, filename?: string);
    get(path: string): Group | Dataset;
    keys: string[];
    attrs: Record<string, unknown>;
  }
  export class Group {
    keys: string[];
    attrs: Record<string, unknown>;
    get(path: string): Group | Dataset;
  }
  export class Dataset {
    shape: number[];
    dtype: string;
    value: ArrayLike<number>;
    attrs: Record<string, unknown>;
  }
}
