"""Tokens and codes: random from `secrets`, stored only as hashes, compared in constant time."""

import hashlib
import hmac
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """Tokens are long and random, so a plain SHA-256 is enough to index them."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_code(digits: int = 6) -> str:
    return f"{secrets.randbelow(10**digits):0{digits}d}"


def hash_code(secret_key: str, verification_id: str, code: str) -> str:
    """Codes are short, so they are keyed with the server secret and bound to one verification."""
    message = f"{verification_id}:{code}".encode()
    return hmac.new(secret_key.encode(), message, hashlib.sha256).hexdigest()


def same_hash(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
