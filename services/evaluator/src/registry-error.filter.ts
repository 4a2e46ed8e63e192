import { ArgumentsHost, Catch, ExceptionFilter, HttpStatus } from '@nestjs/common';
import { RegistryError, RegistryErrorCode } from '@flowsentry/audit';

const STATUS: Record<RegistryErrorCode, number> = {
  'version-not-found': HttpStatus.NOT_FOUND,
  'invalid-transition': HttpStatus.CONFLICT,
  'no-champion': HttpStatus.CONFLICT,
  'no-rollback-target': HttpStatus.CONFLICT,
};

/** A registry operation the registry's state refused (already audited by the registry): 404 or 409 with its code and reason. */
@Catch(RegistryError)
export class RegistryErrorFilter implements ExceptionFilter {
  catch(error: RegistryError, host: ArgumentsHost): void {
    const status = STATUS[error.code as RegistryErrorCode] ?? HttpStatus.CONFLICT;
    host
      .switchToHttp()
      .getResponse<{ status(code: number): { json(body: unknown): void } }>()
      .status(status)
      .json({ statusCode: status, error: error.code, message: error.message });
  }
}
