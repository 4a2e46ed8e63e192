export { readSilverRows, readVerifiedSilver, silverRecords, SilverReadError } from './silver-reader';
export type { SilverDatasetRef, SilverReadErrorCode, SilverRows, SilverValue } from './silver-reader';
