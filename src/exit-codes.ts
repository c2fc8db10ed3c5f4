// The exit codes of the package's programs, the CLI's commands and the demo server alike. A leaf:
// both import it, neither imports the other for it.

/**
 * The exit codes, the same for every command (and the demo's `npm start`): scripts can tell "the
 * command line is wrong" from "the command ran and said no".
 */
export const EXIT = {
  /** Done (verify: the token is valid). */
  ok: 0,
  /** The command ran and failed: an invalid token, a missing or unusable key file, a port in use. */
  failed: 1,
  /** The command line is wrong: unknown command or option, a missing argument, a bad value. */
  usage: 2,
} as const;
