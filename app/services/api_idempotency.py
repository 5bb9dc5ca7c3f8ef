"""Idempotency keys of the JSON API: the first answer to a keyed request, kept a day.

An integration that sends ``Idempotency-Key`` with a write and retries it (a timeout, a lost
answer) gets the first answer again and the work is done once. The same key with another
request is refused: it names another request. Keys are the token's own; a day after its
first use a key may be used afresh. Only successful answers are kept, so a request that
failed can be sent again with the same key once it is fixed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from ..models import ApiIdempotencyKey, ApiToken, utcnow
from .rows import id_of

KEPT_FOR = timedelta(hours=24)


@dataclass(frozen=True)
class Stored:
    status: int
    body: str
    same_request: bool


def request_hash(*, method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def find(*, session: Session, token: ApiToken, key: str, digest: str) -> Stored | None:
    """The answer stored for the token's ``key`` within the last day, if any."""
    row = session.exec(select(ApiIdempotencyKey).where(
        col(ApiIdempotencyKey.token_id) == id_of(token), col(ApiIdempotencyKey.key) == key,
        col(ApiIdempotencyKey.created_at) > utcnow() - KEPT_FOR)).first()
    if row is None:
        return None
    return Stored(row.status, row.body, row.request_hash == digest)


def store(*, session: Session, token: ApiToken, key: str, digest: str, status: int,
          body: str) -> None:
    """Keep the first answer to the token's ``key`` (and forget its keys older than a day).
    Two requests with one key at once: the first stored wins, the other's answer is kept by
    nobody (its work was done once by each: the natural keys of the writes make that safe)."""
    token_id = id_of(token)
    session.execute(delete(ApiIdempotencyKey).where(
        col(ApiIdempotencyKey.token_id) == token_id,
        col(ApiIdempotencyKey.created_at) <= utcnow() - KEPT_FOR))
    session.add(ApiIdempotencyKey(token_id=token_id, key=key, request_hash=digest,
                                  status=status, body=body))
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
