// The Kafka sink is deliberately not re-exported: importing the producer as a library (bench,
// tests, offline tools) must not load a Kafka client. Use the CLI or './kafka-sink' for that.
export * from './random';
export * from './network';
export * from './hosts';
export * from './rhythm';
export * from './regime';
export * from './flow';
export * from './profiles';
export * from './attacks';
export * from './event-source';
export * from './background';
export * from './scenario';
export * from './generator';
export * from './sink';
export * from './file-sink';
export * from './rate-limiter';
export * from './runner';
export * from './progress';
