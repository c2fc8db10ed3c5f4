// `token`: mints a visitor token with the customer private key and iAdvize's public key, and
// prints the JWE alone on stdout so it can be piped.
import { createTokenIssuer, DEFAULT_TTL_SECONDS } from '../../token/issue.js';
import { KEY_ENV_VARIABLES } from '../../token/load-keys.js';
import type { VisitorData } from '../../token/claims.js';
import { TokenInputError } from '../../token/errors.js';
import { EXIT } from '../../exit-codes.js';
import { EXIT_CODES_HELP, parseCommandArgs, parseWholeNumber, UsageError, type CliCommand } from '../command.js';
import { DEFAULT_KEYS_DIR, loadCliKey } from '../key-source.js';

/** The issuer of iAdvize's public example; override with --issuer. */
export const DEFAULT_CLI_ISSUER = 'https://test.iadvize.com';

const HELP = `Usage: iadvize-activation token --user ID [options]

Prints a visitor token (compact JWE) on stdout.

Options:
  --user ID                  the visitor's stable id (1 to 255 characters), required
  --ttl SECONDS              lifetime, 1 to 86400 (default ${DEFAULT_TTL_SECONDS})
  --visitor-data JSON        e.g. '{"firstName":"Jane","email":"jane@example.com"}'
  --issuer ISS               the iss claim (default ${DEFAULT_CLI_ISSUER})
  --keys DIR                 read customer-private.pem and iadvize-public.pem from DIR
  --private-key FILE         the customer private key (PEM)
  --iadvize-public-key FILE  iAdvize's public key (PEM or bare base64 SPKI)
  -h, --help                 show this help

Each key comes from its file flag, else --keys DIR, else the environment
(${KEY_ENV_VARIABLES.privateKey}, ${KEY_ENV_VARIABLES.iadvizePublicKey}), else ./${DEFAULT_KEYS_DIR}.

${EXIT_CODES_HELP}`;

export const tokenCommand: CliCommand = {
  name: 'token',
  summary: 'print a signed and encrypted visitor token',
  help: HELP,
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      user: { type: 'string' },
      ttl: { type: 'string' },
      'visitor-data': { type: 'string' },
      issuer: { type: 'string' },
      keys: { type: 'string' },
      'private-key': { type: 'string' },
      'iadvize-public-key': { type: 'string' },
    });
    if (values.user === undefined) throw new UsageError('--user ID is required');
    const visitorData = parseVisitorData(values['visitor-data']);
    const ttlSeconds = parseWholeNumber(values.ttl, '--ttl');
    const [privateKey, iadvizePublicKey] = await Promise.all([
      loadCliKey(
        {
          role: 'customer-private',
          file: values['private-key'],
          dir: values.keys,
          envName: KEY_ENV_VARIABLES.privateKey,
        },
        io,
      ),
      loadCliKey(
        {
          role: 'iadvize-public',
          file: values['iadvize-public-key'],
          dir: values.keys,
          envName: KEY_ENV_VARIABLES.iadvizePublicKey,
        },
        io,
      ),
    ]);
    let token: string;
    try {
      const issuer = await createTokenIssuer({
        privateKey,
        iadvizePublicKey,
        issuer: values.issuer ?? DEFAULT_CLI_ISSUER,
        ...(ttlSeconds === undefined ? {} : { ttlSeconds }),
      });
      token = await issuer.issue({ userId: values.user, ...(visitorData ? { visitorData } : {}) });
    } catch (error) {
      // Every input of the issuer here is a flag (--user, --ttl, --visitor-data, --issuer): a
      // refused one is a usage error, as a malformed one is.
      throw error instanceof TokenInputError ? new UsageError(error.message) : error;
    }
    io.stdout(`${token}\n`);
    return EXIT.ok;
  },
};

function parseVisitorData(json: string | undefined): VisitorData | undefined {
  if (json === undefined) return undefined;
  try {
    return JSON.parse(json) as VisitorData;
  } catch {
    throw new UsageError(`--visitor-data must be a JSON object, e.g. '{"firstName":"Jane"}'`);
  }
}
