import { InitialSchema1763769600000 } from './1763769600000-initial-schema';

export const AUDIT_MIGRATIONS = [InitialSchema1763769600000];
