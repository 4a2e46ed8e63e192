/** A command line the CLI cannot run as given: it prints the usage and exits 2, touching nothing. */
export class UsageError extends Error {}
