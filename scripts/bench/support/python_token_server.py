# The token endpoint's reference point in another language: a Python backend issuing the same
# token (an RS256 JWS of the same claims inside an RSA-OAEP-256/A256GCM JWE, cty JWT; see
# token-format.md) with jwcrypto, served by the standard library's threading HTTP server with
# keep-alive, doing the same checks (POST, Origin) and answering the same JSON.
# Keys come from the environment (PEM); it listens on 127.0.0.1 only and prints its port.
# Usage: BENCH_PRIVATE_KEY=... BENCH_IADVIZE_PUBLIC_KEY=... python3 python_token_server.py <origin> <iss>
import json
import os
import re
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from jwcrypto import jwe, jwk, jws
from jwcrypto.common import json_encode

ORIGIN, ISSUER = sys.argv[1], sys.argv[2]
SIGNING_KEY = jwk.JWK.from_pem(os.environ["BENCH_PRIVATE_KEY"].encode())
ENCRYPTION_KEY = jwk.JWK.from_pem(os.environ["BENCH_IADVIZE_PUBLIC_KEY"].encode())
SESSION = re.compile(r"(?:^|;\s*)session=([^;]+)")


def issue(user_id):
    now = int(time.time())
    claims = {"https://iadvize.com/userId": user_id, "iss": ISSUER, "iat": now, "exp": now + 60}
    signed = jws.JWS(json_encode(claims).encode())
    signed.add_signature(SIGNING_KEY, alg="RS256", protected=json_encode({"alg": "RS256"}))
    encrypted = jwe.JWE(
        signed.serialize(compact=True).encode(),
        protected=json_encode({"alg": "RSA-OAEP-256", "enc": "A256GCM", "cty": "JWT"}),
    )
    encrypted.add_recipient(ENCRYPTION_KEY)
    return encrypted.serialize(compact=True), (now + 60) * 1000


class TokenEndpoint(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: without TCP_NODELAY, Nagle's algorithm and the
    # client's delayed ACK add 40 ms to every answer, which would measure the set-up, not Python.
    disable_nagle_algorithm = True

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json; charset=utf-8")
        self.send_header("cache-control", "no-store")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers.get("content-length") or 0)
        if length > 1024:
            self.close_connection = True
            return self.answer(413, {"error": "payload-too-large"})
        if length:
            self.rfile.read(length)
        if self.headers.get("origin") != ORIGIN:
            return self.answer(403, {"error": "forbidden-origin"})
        session = SESSION.search(self.headers.get("cookie") or "")
        if not session:
            return self.answer(401, {"error": "unauthenticated"})
        token, expires_at = issue(session.group(1))
        self.answer(200, {"token": token, "expiresAt": expires_at})

    def log_message(self, *args):
        pass


class QuietServer(ThreadingHTTPServer):
    # The load generator closes its connections at the end of each run: not worth a traceback.
    def handle_error(self, request, client_address):
        pass


server = QuietServer(("127.0.0.1", 0), TokenEndpoint)
server.daemon_threads = True
print(server.server_address[1], flush=True)
server.serve_forever()
