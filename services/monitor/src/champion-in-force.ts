import { ModelRegistry } from '@flowsentry/audit';
import { formatRef, modelRefs } from '@flowsentry/storage';
import { MonitoredChampion, MonitorStateRow } from './monitor-state';

/** What the monitor reads of the registry: the champion alias and its moves. */
export type RegistryChampions = Pick<ModelRegistry, 'champion' | 'history'>;

/**
 * The champion batches are scored with: the one the monitor's own state names (the last
 * champion.changed it handled), else, before any, the registry's champion. The fallback covers a
 * monitor deployed after its model's champion was announced, or one whose champion.changed
 * history has expired from Kafka; its first batch builds (or finds) the baseline and records the
 * champion as the monitor's own.
 */
export async function championInForce(state: MonitorStateRow | undefined, registry: RegistryChampions, modelName: string): Promise<MonitoredChampion | undefined> {
  if (state) return state.champion;
  const version = await registry.champion(modelName);
  if (!version) return undefined;
  const moves = await registry.history(modelName);
  const move = moves.filter((m) => m.alias === 'champion' && m.toVersion === version.version).at(-1);
  return {
    modelName,
    version: version.version,
    onnxKey: version.onnxRef,
    sha256: version.sha256,
    metadataKey: version.metadataRef ?? formatRef(modelRefs(modelName, version.version).metadata),
    changedAt: new Date(move?.changedAt ?? version.updatedAt).toISOString(),
    source: 'registry',
  };
}
