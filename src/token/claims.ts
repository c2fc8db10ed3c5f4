// The token's claims as token-format.md defines them: names and the rules both the issuer
// and the verifier apply, so a token the issuer accepts is a token the verifier accepts.

export const USER_ID_CLAIM = 'https://iadvize.com/userId';
export const VISITOR_DATA_CLAIM = 'https://iadvize.com/visitorData';

/** The most characters a userId may have. Counted in UTF-16 code units, the stricter count. */
export const MAX_USER_ID_LENGTH = 255;

export const VISITOR_DATA_FIELDS = [
  'firstName',
  'lastName',
  'email',
  'phoneNumber',
  'address',
  'zipCode',
  'city',
  'country',
] as const;

export type VisitorDataField = (typeof VISITOR_DATA_FIELDS)[number];

/** Visitor details iAdvize shows to agents; every field optional, every value a string. */
export type VisitorData = { [F in VisitorDataField]?: string };

/** Why a userId is unacceptable, or undefined when it is fine. */
export function userIdProblem(userId: unknown): string | undefined {
  if (userId === undefined || userId === null) return 'the userId is missing';
  if (typeof userId !== 'string') return `the userId must be a string, not ${kindOf(userId)}`;
  if (userId.length === 0) return 'the userId is an empty string';
  if (userId.length > MAX_USER_ID_LENGTH) {
    return `the userId has ${userId.length} characters, more than the ${MAX_USER_ID_LENGTH} allowed`;
  }
  return undefined;
}

/**
 * Why visitorData is unacceptable, or undefined. `strictFields` (the issuer) also refuses
 * fields the documentation does not list; the verifier only requires an object of strings.
 */
export function visitorDataProblem(visitorData: unknown, strictFields: boolean): string | undefined {
  if (typeof visitorData !== 'object' || visitorData === null || Array.isArray(visitorData)) {
    return `visitorData must be an object of strings, not ${kindOf(visitorData)}`;
  }
  for (const [field, value] of Object.entries(visitorData)) {
    if (strictFields && !(VISITOR_DATA_FIELDS as readonly string[]).includes(field)) {
      // The field name is caller data: cut short so a message cannot carry a pasted secret.
      return `visitorData has the unknown field ${JSON.stringify(field.slice(0, 40))}; the documented fields are ${VISITOR_DATA_FIELDS.join(', ')}`;
    }
    if (typeof value !== 'string') return `visitorData.${field.slice(0, 40)} must be a string, not ${kindOf(value)}`;
  }
  return undefined;
}

/** A short description of a value's type for messages; never the value itself. */
export function kindOf(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
