// The fake iAdvize's own wording, where the public material gives the vendor's prose but not its
// text (tag-contract.md §4): built on the vendor's public prefix, so the contract module maps them
// as the real tag's would be. Test-double wording: not in the public /tag entry.
import { VENDOR_REASONS } from '../tag/contract.js';

/**
 * Reasons for which the vendor gives only prose ("malformed token", "invalid key"). The fake
 * iAdvize words them with the credentials prefix, as the real server is most likely to.
 */
export const FAKE_DETAIL_REASONS = {
  malformedToken: `${VENDOR_REASONS.credentialsRejectedPrefix}malformed token`,
  invalidKey: `${VENDOR_REASONS.credentialsRejectedPrefix}invalid key`,
} as const;

/**
 * How the fake iAdvize server words each token rejection, by the verifier's failed check
 * (src/token/verify.ts). The vendor's own texts are not public: malformed tokens and bad keys
 * use the prose reasons above, the other claim checks the public credentials prefix.
 */
export const FAKE_REJECTION_REASONS = {
  format: `${FAKE_DETAIL_REASONS.malformedToken}: not a compact JWE wrapping a compact JWS`,
  'encryption-algorithm': `${FAKE_DETAIL_REASONS.malformedToken}: the JWE must use RSA-OAEP-256 with A256GCM`,
  'signature-algorithm': `${FAKE_DETAIL_REASONS.malformedToken}: the inner JWS must use RS256`,
  decryption: `${FAKE_DETAIL_REASONS.invalidKey}: the token does not decrypt with the iAdvize private key`,
  signature: `${FAKE_DETAIL_REASONS.invalidKey}: the signature does not verify with the registered customer public key`,
  expired: `${VENDOR_REASONS.credentialsRejectedPrefix}the token has expired`,
  'issued-in-future': `${VENDOR_REASONS.credentialsRejectedPrefix}the token is issued in the future`,
  'user-id': `${VENDOR_REASONS.credentialsRejectedPrefix}missing or unusable userId claim`,
  'visitor-data': `${VENDOR_REASONS.credentialsRejectedPrefix}visitorData is not an object of strings`,
  issuer: `${VENDOR_REASONS.credentialsRejectedPrefix}unexpected issuer`,
} as const;

/** The fake tag's words for situations the public material does not describe. */
export const FAKE_TAG_REASONS = {
  /** A logout arrived while the activation was under way; the activation is dropped. */
  cancelledByLogout: 'Activation cancelled by a logout',
  /** Session re-verification handed a token for someone else than the session's visitor. */
  identityChanged: `${VENDOR_REASONS.credentialsRejectedPrefix}the token is for another visitor than the session's`,
} as const;
