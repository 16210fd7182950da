/** A rule refused an action. The code is stable; the message is French, shown to the user as is. */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: 400 | 403 | 404 | 409 | 422 = 400,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
