// iadvize-activation/inspect: offline timeline inspector with redaction; Stately inspector helper.
export { redactText, redactValue, REDACTED, REDACTED_KEY, REDACTED_TOKEN } from '../redact.js';
