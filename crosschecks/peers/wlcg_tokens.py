"""A WLCG token issuer for the tests: an ES256 key made with `openssl`, tokens signed with it
in the WLCG JWT profile (`wlcg.ver` 1.0, `scope` such as `storage.read:/`), and its public key
put in the SciTokens key cache that a server's SciTokens library (scitokens-cpp, Debian's
`libscitokens0`) reads, so that no issuer web site (`/.well-known/openid-configuration`, JWKS)
has to be served on loopback: scitokens-cpp looks a key up in that cache before it goes to the
web, and `scitoken_store_public_ec_key` is its own call for filling it.

No JWT library is needed: a JWT is `base64url(header).base64url(claims).base64url(signature)`,
the signature being ECDSA P-256 over SHA-256 of the first two parts, as the raw 64 bytes r‖s
(`openssl dgst -sign` gives it DER-encoded; `raw_signature` unwraps it)."""
import base64
import ctypes
import json
import os
import subprocess
import time
import uuid
from pathlib import Path

ANY_AUDIENCE = "https://wlcg.cern.ch/jwt/v1/any"


def base64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def raw_signature(der):
    """r‖s (32 bytes each) from a DER `ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }`."""
    if der[0] != 0x30:
        raise ValueError("not a DER sequence")
    position = 2 if der[1] < 0x80 else 2 + (der[1] & 0x7F)
    parts = []
    for _ in range(2):
        if der[position] != 0x02:
            raise ValueError("not a DER integer")
        length = der[position + 1]
        parts.append(der[position + 2:position + 2 + length].lstrip(b"\0").rjust(32, b"\0"))
        position += 2 + length
    return b"".join(parts)


class TokenIssuer:
    """An issuer (`url`) with its own key in `directory`; `key_id` names the key in tokens."""

    def __init__(self, directory, url="https://issuer.kaon.test", key_id="kaon-test"):
        self.url, self.key_id = url, key_id
        self.private_key = Path(directory) / f"{key_id}.pem"
        self.public_key = Path(directory) / f"{key_id}.pub"
        subprocess.run(["openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", self.private_key],
                       check=True, capture_output=True)
        subprocess.run(["openssl", "ec", "-in", self.private_key, "-pubout", "-out", self.public_key],
                       check=True, capture_output=True)

    def token(self, scope="storage.read:/", audience=ANY_AUDIENCE, lifetime=3600, subject="kaon-test"):
        """A signed token; a negative `lifetime` gives an expired one."""
        now = int(time.time())
        header = {"alg": "ES256", "typ": "JWT", "kid": self.key_id}
        claims = {"wlcg.ver": "1.0", "iss": self.url, "sub": subject, "aud": audience, "scope": scope,
                  "iat": now, "nbf": now - 60, "exp": now + lifetime, "jti": str(uuid.uuid4())}
        signed = f"{base64url(json.dumps(header).encode())}.{base64url(json.dumps(claims).encode())}"
        der = subprocess.run(["openssl", "dgst", "-sha256", "-sign", self.private_key], input=signed.encode(),
                             check=True, capture_output=True).stdout
        return f"{signed}.{base64url(raw_signature(der))}"

    def register(self, cache_home):
        """Puts the public key in the SciTokens key cache under `cache_home` (a process's
        XDG_CACHE_HOME) through scitokens-cpp's own `scitoken_store_public_ec_key`."""
        library = ctypes.CDLL("libSciTokens.so.0")
        library.scitoken_store_public_ec_key.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p,
                                                        ctypes.POINTER(ctypes.c_char_p)]
        previous = os.environ.get("XDG_CACHE_HOME")
        os.environ["XDG_CACHE_HOME"] = str(cache_home)  # read by the library at each call
        try:
            error = ctypes.c_char_p()
            status = library.scitoken_store_public_ec_key(self.url.encode(), self.key_id.encode(),
                                                          self.public_key.read_bytes(), ctypes.byref(error))
        finally:
            if previous is None:
                del os.environ["XDG_CACHE_HOME"]
            else:
                os.environ["XDG_CACHE_HOME"] = previous
        if status != 0:
            raise RuntimeError(f"scitoken_store_public_ec_key failed: {error.value}")
