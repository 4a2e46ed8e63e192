/** A pool spec's worker whose entry cannot load, as one with a missing native module would not. */
throw new Error('cannot load: missing module');
