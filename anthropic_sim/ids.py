"""Deterministic, monotonic identifiers and credentials from a seeded `random.Random`.

Admin ids look like the documented examples (`user_01WCz1FkmYMm4gnmykNKUu3Q`): a prefix,
`01`, then 22 base58 characters. The first characters encode a counter that only grows,
and the base58 alphabet is in ASCII order, so sorting ids as strings is creation order,
which is what ID-cursor pagination walks. SCIM ids imitate WorkOS (`directory_user_01...`,
a 26-character ULID-like Crockford base32 tail), monotonic the same way.
"""

from __future__ import annotations

import random
import threading
import uuid

BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

COUNTER_DIGITS = 10  # base58 digits of the counter inside an admin id (58**10 ~ 4e17)
SCIM_COUNTER_DIGITS = 12  # Crockford digits of the counter inside a SCIM id
MAX_STEP = 58**3  # the counter advances by a random step so ids do not look sequential
_ADMIN_NOISE = 58 ** (22 - COUNTER_DIGITS)
_SCIM_NOISE = 32 ** (24 - SCIM_COUNTER_DIGITS)
_EXTERNAL_SPACE = 58**17

PREFIXES = {
    "user": "user_",
    "invite": "invite_",
    "workspace": "wrkspc_",
    "api_key": "apikey_",
    "service_account": "svac_",
    "federation_issuer": "fdis_",
    "federation_rule": "fdrl_",
    "request": "req_",
}


_PAIRS = {alphabet: [a + b for a in alphabet for b in alphabet] for alphabet in (BASE58, CROCKFORD)}


def _encode(n: int, alphabet: str, width: int) -> str:
    """`n` in `width` digits of `alphabet` (most significant first), two digits at a time."""
    pairs = _PAIRS[alphabet]
    square = len(pairs)
    out = []
    for _ in range(width // 2):
        n, r = divmod(n, square)
        out.append(pairs[r])
    if width % 2:
        n, r = divmod(n, len(alphabet))
        out.append(alphabet[r])
    if n:
        raise OverflowError("id counter overflow")
    return "".join(reversed(out))


def decode_counter(identifier: str) -> int | None:
    """The counter inside an admin id (`<prefix>01<counter><random>`), or None if malformed."""
    _, sep, tail = identifier.rpartition("_")
    if not sep or len(tail) != 24 or not tail.startswith("01"):
        return None
    n = 0
    for ch in tail[2 : 2 + COUNTER_DIGITS]:
        pos = BASE58.find(ch)
        if pos < 0:
            return None
        n = n * 58 + pos
    return n


def is_admin_id(identifier: str, prefix: str) -> bool:
    """Whether `identifier` is well formed for `prefix` (e.g. `user_`)."""
    if not identifier.startswith(prefix):
        return False
    tail = identifier[len(prefix) :]
    return len(tail) == 24 and tail.startswith("01") and all(c in BASE58 for c in tail[2:])


class IdFactory:
    """Makes ids whose string order is their creation order. Thread-safe."""

    def __init__(self, rng: random.Random, counter: int | None = None) -> None:
        self.rng = rng
        # Start somewhere seeded so ids of different orgs do not share a long common prefix.
        self.counter = counter if counter is not None else rng.randrange(58**8, 58**9)
        self._lock = threading.Lock()

    def _next(self) -> int:
        with self._lock:
            self.counter += self.rng.randint(1, MAX_STEP)
            return self.counter

    def _random(self, alphabet: str, k: int) -> str:
        return "".join(self.rng.choices(alphabet, k=k))

    def make(self, prefix: str) -> str:
        n = self._next()
        with self._lock:
            noise = self.rng.getrandbits(64) % _ADMIN_NOISE
        return f"{prefix}01{_encode(n * _ADMIN_NOISE + noise, BASE58, 22)}"

    def user(self) -> str:
        return self.make("user_")

    def invite(self) -> str:
        return self.make("invite_")

    def workspace(self) -> str:
        return self.make("wrkspc_")

    def api_key(self) -> str:
        return self.make("apikey_")

    def service_account(self) -> str:
        return self.make("svac_")

    def federation_issuer(self) -> str:
        return self.make("fdis_")

    def federation_rule(self) -> str:
        return self.make("fdrl_")

    def request(self) -> str:
        return self.make("req_")

    def _scim(self, prefix: str) -> str:
        n = self._next()
        with self._lock:
            noise = self.rng.getrandbits(64) % _SCIM_NOISE
        return f"{prefix}01{_encode(n * _SCIM_NOISE + noise, CROCKFORD, 24)}"

    def scim_user(self) -> str:
        return self._scim("directory_user_")

    def scim_group(self) -> str:
        return self._scim("directory_group_")

    def external_id(self) -> str:
        """An IdP-side id in the style of Okta (`00u...`)."""
        with self._lock:
            noise = self.rng.getrandbits(104) % _EXTERNAL_SPACE
        return "00u" + _encode(noise, BASE58, 17)


class Credentials:
    """The secrets of one simulated organization, all drawn from the seed (documented prefixes:
    Console Admin key `sk-ant-admin01-`, Enterprise Admin key `sk-ant-api01-`, inference key
    `sk-ant-api03-`, OAuth token `sk-ant-oat01-`)."""

    def __init__(self, rng: random.Random, product: str = "console") -> None:
        def chars(alphabet: str, k: int) -> str:
            return "".join(rng.choices(alphabet, k=k))

        self.org_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        if product == "enterprise":  # an Enterprise Admin key, created in claude.ai
            self.admin_key = "sk-ant-api01-" + chars(BASE64URL, 93) + "AA"
        else:
            self.admin_key = "sk-ant-admin01-" + chars(BASE64URL, 84) + "AA"
        self.inference_key = "sk-ant-api03-" + chars(BASE64URL, 93) + "AA"
        self.oauth_token = "sk-ant-oat01-" + chars(BASE64URL, 93) + "AA"
        self.scim_token = chars(ALNUM, 40)


def partial_hint(rng: random.Random) -> str:
    """A key hint like the documented `sk-ant-api03-R2D...igAA`."""
    head = "".join(rng.choices(BASE64URL, k=3))
    tail = "".join(rng.choices(BASE64URL, k=2))
    return f"sk-ant-api03-{head}...{tail}AA"
