import { errorCatalogue, type ErrorCode } from './error-catalogue.js';

/** A problem at one place: a file position, a config key, a request field. */
export interface ErrorDetail {
  message: string;
  /** Dotted key path, e.g. `services.webapp.stages[1].bake`. */
  path?: string;
  file?: string;
  line?: number;
  column?: number;
}

/** The one error type users see: stable code, HTTP status, hint, optional per-place details. */
export class ReleasebotError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly hint: string;
  readonly details: ErrorDetail[];

  constructor(code: ErrorCode, message: string, opts: { details?: ErrorDetail[]; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'ReleasebotError';
    this.code = code;
    this.status = errorCatalogue[code].status;
    this.hint = errorCatalogue[code].hint;
    this.details = opts.details ?? [];
  }

  toJSON(): { code: ErrorCode; message: string; hint: string; details?: ErrorDetail[] } {
    return {
      code: this.code,
      message: this.message,
      hint: this.hint,
      ...(this.details.length ? { details: this.details } : {}),
    };
  }
}

export function isReleasebotError(e: unknown): e is ReleasebotError {
  return e instanceof ReleasebotError;
}

/** Formats a detail as `file:line:col: path: message` for terminals. */
export function formatDetail(d: ErrorDetail): string {
  const where = d.file ? `${d.file}${d.line ? `:${d.line}${d.column ? `:${d.column}` : ''}` : ''}: ` : '';
  return `${where}${d.path ? `${d.path}: ` : ''}${d.message}`;
}
