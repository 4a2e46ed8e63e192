// Preloaded (node -r) into profiled service runs: SIGUSR2 exits the process normally, so
// `--cpu-prof` writes its profile. SIGTERM cannot be used for that: Nest's shutdown hook closes
// the app and then re-raises the signal, and a process killed by a signal writes no profile.
'use strict';
process.on('SIGUSR2', () => process.exit(0));
