export { ModelRegistry, CHAMPION } from './model-registry';
export type { AliasMove, CandidateVersion, EvaluationDecision, EvaluationOutcome, OperatorRequest, RetrainRequest } from './model-registry';
export { RegistryError } from './registry-error';
export type { RegistryErrorCode } from './registry-error';
