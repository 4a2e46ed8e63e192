// Node 20 has WebAssembly as a global, but @types/node 20 does not describe it and the DOM lib (which
// does) would bring browser globals into server code. These are the parts the forest kernel uses, as the
// WebAssembly JS API specifies them.
declare namespace WebAssembly {
  type ImportValue = Memory;
  type Imports = Record<string, Record<string, ImportValue>>;
  type ExportValue = ((...args: number[]) => unknown) | Memory;
  type Exports = Record<string, ExportValue>;

  interface MemoryDescriptor {
    initial: number;
    maximum?: number;
    shared?: boolean;
  }

  class Memory {
    constructor(descriptor: MemoryDescriptor);
    readonly buffer: ArrayBuffer | SharedArrayBuffer;
  }

  interface ModuleImportDescriptor {
    module: string;
    name: string;
    kind: 'function' | 'table' | 'memory' | 'global';
  }

  class Module {
    constructor(bytes: BufferSource);
    static imports(module: Module): ModuleImportDescriptor[];
  }

  class Instance {
    constructor(module: Module, imports?: Imports);
    readonly exports: Exports;
  }

  class LinkError extends Error {}
}
