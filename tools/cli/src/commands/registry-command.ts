import { ModelRegistry } from '@flowsentry/audit';
import { Env } from '../arguments';

/** The part of the registry the `models` commands use (a fake in unit specs, ModelRegistry in the CLI). */
export type RegistryOperations = Pick<ModelRegistry, 'list' | 'champion' | 'history' | 'actions' | 'retrainRequests' | 'traces' | 'approve' | 'reject' | 'rollback'>;

/**
 * One `flowsentry models <name>` command: its arguments are parsed (and refused) before any
 * connection is opened, it runs against the registry only (PostgreSQL, no Kafka: the evaluator
 * announces every champion move from the registry's outbox), and it renders its result.
 */
export interface RegistryCommand<Params, Result> {
  name: string;
  usage: string;
  parse(args: string[], env: Env): Params;
  run(registry: RegistryOperations, params: Params): Promise<Result>;
  render(result: Result, params: Params): string;
}
