"""Signed, expiring survey links. The customer answers without logging in, so the link
itself is the credential: it names the survey and the conversation, carries its expiry,
and is signed with the server's secret (itsdangerous: HMAC over a canonical payload, with
a salt of our own so a token made for something else never passes as a survey link).
That a link is answered only once is the store's job: it keeps the token's id.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from itsdangerous import BadSignature, URLSafeSerializer

from ..errors import ServiceQAError

SALT = "serviceqa.survey-link.v1"
VALID_FOR = timedelta(days=14)
MIN_SECRET_BYTES = 32


class LinkError(ServiceQAError):
    """A survey link that was forged, altered, cut short or has expired."""


class LinkExpired(LinkError):
    """A genuine link past its expiry: the page says so (in the link's language) rather
    than "not valid"; `link` holds its claims."""

    def __init__(self, message: str, link: "SurveyLink") -> None:
        super().__init__(message)
        self.link = link


@dataclass(frozen=True)
class SurveyLink:
    survey: str
    conversation_id: str
    expires_at: datetime
    nonce: str            # unique per link: the store keeps it to accept one response


class SurveyLinks:
    """Makes and checks survey link tokens with one server secret."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < MIN_SECRET_BYTES:
            raise ValueError(f"the survey link secret needs at least {MIN_SECRET_BYTES} bytes")
        self._serializer = URLSafeSerializer(secret, salt=SALT)

    def make(self, survey: str, conversation_id: str, now: datetime | None = None,
             valid_for: timedelta = VALID_FOR) -> str:
        expires = (now or _utcnow()) + valid_for
        payload = {"s": survey, "c": conversation_id, "e": int(expires.timestamp()),
                   "n": secrets.token_urlsafe(12)}
        return str(self._serializer.dumps(payload))

    def check(self, token: str, now: datetime | None = None) -> SurveyLink:
        """The link's claims; LinkError when the token is not ours or is past its expiry."""
        try:
            payload = self._serializer.loads(token)
        except BadSignature as exc:
            raise LinkError("this survey link is not valid") from exc
        if not isinstance(payload, dict) or set(payload) != {"s", "c", "e", "n"}:
            raise LinkError("this survey link is not valid")
        expires = datetime.fromtimestamp(payload["e"], tz=timezone.utc)
        link = SurveyLink(str(payload["s"]), str(payload["c"]), expires, str(payload["n"]))
        if (now or _utcnow()) >= expires:
            raise LinkExpired("this survey link has expired", link)
        return link


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)
