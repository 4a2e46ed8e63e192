import { DataSource, EntityManager } from 'typeorm';
import { CandidateVersion, ModelRegistry } from '@flowsentry/audit';
import { FlowsentryError } from '@flowsentry/contracts';

/** The newest version of a model name and the event time its data ended at (the schedule counts from there). */
export interface NewestModel {
  version: string;
  /** Latest event time (epoch ms) of the window it was built from, holdout included; null if it did not record one. */
  windowEndMs: number | null;
}

/** Another delivery registered the version this one wrote: retrying picks the next free version. */
export class VersionTakenError extends FlowsentryError {
  constructor(modelName: string, version: string) {
    super('version-taken', `${modelName} v${version} was registered meanwhile; the step runs again under the next version`, true);
  }
}

/** What the trainer reads from and writes to the model registry. */
export interface TrainedModels {
  newest(modelName: string): Promise<NewestModel | undefined>;
  /** The lowest version number no registered version has reached (objects may still hold it, see ModelPublisher). */
  nextVersion(modelName: string): Promise<number>;
  /** Registers a candidate in the step's transaction, refusing a version that is no longer free. */
  register(em: EntityManager, candidate: CandidateVersion): Promise<void>;
}

export class RegistryTrainedModels implements TrainedModels {
  private readonly registry: ModelRegistry;

  constructor(private readonly db: DataSource) {
    this.registry = new ModelRegistry(db);
  }

  async newest(modelName: string): Promise<NewestModel | undefined> {
    const rows: Array<{ version: string; window_end_ms: string | null }> = await this.db.query(
      `SELECT version, metrics->>'window_end_ms' AS window_end_ms FROM model_versions WHERE model_name = $1 ORDER BY version::bigint DESC LIMIT 1`,
      [modelName],
    );
    const row = rows[0];
    return row && { version: row.version, windowEndMs: row.window_end_ms === null ? null : Number(row.window_end_ms) };
  }

  async nextVersion(modelName: string): Promise<number> {
    return Number(await this.db.transaction((em) => this.registry.nextVersion(em, modelName)));
  }

  async register(em: EntityManager, candidate: CandidateVersion): Promise<void> {
    // nextVersion takes the model's lock for the rest of the transaction, so nobody registers in between.
    const next = Number(await this.registry.nextVersion(em, candidate.modelName));
    if (Number(candidate.version) < next) throw new VersionTakenError(candidate.modelName, candidate.version);
    await this.registry.registerCandidate(em, candidate);
  }
}
