// `verify`: checks a token as iAdvize would and prints the headers with the claims or the
// failed check. Exit code 0 only for a valid token.
import { KEY_ENV_VARIABLES } from '../../token/load-keys.js';
import { inspectToken, verifyToken } from '../../token/verify.js';
import { EXIT } from '../../exit-codes.js';
import { EXIT_CODES_HELP, parseCommandArgs, parseWholeNumber, UsageError, type CliCommand } from '../command.js';
import { DEFAULT_KEYS_DIR, loadCliKey } from '../key-source.js';

const HELP = `Usage: iadvize-activation verify <token | -> [options]

Decrypts and verifies a token as iAdvize does, then prints JSON on stdout:
{ ok, claims } for a valid token, { ok: false, check, message } otherwise, with the headers.
Pass - to read the token from stdin (keeps it out of the shell history).

Options:
  --keys DIR                  read iadvize-private.pem and customer-public.pem from DIR
  --iadvize-private-key FILE  the (local stand-in) iAdvize private key, PEM
  --customer-public-key FILE  the customer public key, PEM or bare base64 SPKI
  --expected-issuer ISS       also require this iss claim
  --clock-tolerance SECONDS   allowed clock skew for exp and iat (default 30)
  -h, --help                  show this help

Each key comes from its file flag, else --keys DIR, else the environment
(${KEY_ENV_VARIABLES.iadvizePrivateKey}, ${KEY_ENV_VARIABLES.customerPublicKey}), else ./${DEFAULT_KEYS_DIR}.
${EXIT_CODES_HELP}
For verify, 0 means the token is valid.`;

export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'check a token as iAdvize would and show its headers and claims',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        keys: { type: 'string' },
        'iadvize-private-key': { type: 'string' },
        'customer-public-key': { type: 'string' },
        'expected-issuer': { type: 'string' },
        'clock-tolerance': { type: 'string' },
      },
      1,
    );
    const [argument] = positionals;
    if (argument === undefined) throw new UsageError('the token to verify is required (or - to read it from stdin)');
    const token = (argument === '-' ? await io.readStdin() : argument).trim();
    if (token === '') {
      throw new UsageError(
        argument === '-'
          ? 'no token on stdin (the input was empty): pipe one in, e.g. iadvize-activation token --user u | iadvize-activation verify -'
          : 'the token argument is empty: pass the token, or - to read it from stdin',
      );
    }
    const clockToleranceSeconds = parseWholeNumber(values['clock-tolerance'], '--clock-tolerance');
    const [iadvizePrivateKey, customerPublicKey] = await Promise.all([
      loadCliKey(
        {
          role: 'iadvize-private',
          file: values['iadvize-private-key'],
          dir: values.keys,
          envName: KEY_ENV_VARIABLES.iadvizePrivateKey,
        },
        io,
      ),
      loadCliKey(
        {
          role: 'customer-public',
          file: values['customer-public-key'],
          dir: values.keys,
          envName: KEY_ENV_VARIABLES.customerPublicKey,
        },
        io,
      ),
    ]);
    const result = await verifyToken(token, {
      iadvizePrivateKey,
      customerPublicKey,
      ...(clockToleranceSeconds === undefined ? {} : { clockToleranceSeconds }),
      ...(values['expected-issuer'] === undefined ? {} : { expectedIssuer: values['expected-issuer'] }),
    });
    // The headers help with a failed check (which algorithm was used?); claims come from the verification.
    const { header, innerHeader } = await inspectToken(token, { iadvizePrivateKey });
    io.stdout(`${JSON.stringify({ ...result, header, innerHeader }, null, 2)}\n`);
    if (result.ok) return EXIT.ok;
    io.stderr(`iadvize-activation verify: invalid token (${result.check}): ${result.message}\n`);
    return EXIT.failed;
  },
};
