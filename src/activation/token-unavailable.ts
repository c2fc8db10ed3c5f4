/** The site's token source gave no usable token; reported as `token-unavailable`. */
export class TokenUnavailableError extends Error {
  override readonly name = 'TokenUnavailableError';
}
