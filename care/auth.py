"""Staff accounts: argon2 password hashes, roles, lockout, signed and revocable session cookies."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from care.models import StaffSession, StaffUser, utcnow
from dvcbot.settings import Settings, get_settings

ROLES = ("agent", "supervisor", "admin")
RANK = {role: i for i, role in enumerate(ROLES)}
ROLE_LABELS = {"agent": "Cán bộ", "supervisor": "Giám sát", "admin": "Quản trị"}
MIN_PASSWORD = 12
COOKIE = "dvcbot_staff"

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class AuthError(Exception):
    """Sign-in refused; ``locked`` tells a lockout from a wrong password (shown the same way)."""

    def __init__(self, locked: bool = False) -> None:
        super().__init__("locked" if locked else "invalid")
        self.locked = locked


def check_password_rules(password: str, username: str = "") -> None:
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"mật khẩu cần ít nhất {MIN_PASSWORD} ký tự")
    if username and username.lower() in password.lower():
        raise ValueError("mật khẩu không được chứa tên đăng nhập")


def create_staff(session: Session, username: str, display_name: str, password: str, role: str) -> StaffUser:
    username = username.strip().lower()
    if not username or len(username) > 64 or not username.replace(".", "").replace("_", "").replace("-", "").isalnum():
        raise ValueError("tên đăng nhập chỉ gồm chữ, số, dấu chấm, gạch dưới, gạch ngang (tối đa 64)")
    if role not in ROLES:
        raise ValueError(f"vai trò phải là một trong {', '.join(ROLES)}")
    check_password_rules(password, username)
    if session.scalar(select(StaffUser).where(StaffUser.username == username)) is not None:
        raise ValueError("tên đăng nhập đã tồn tại")
    user = StaffUser(username=username, display_name=display_name.strip()[:128] or username,
                     password_hash=_hasher.hash(password), role=role, active=True, failed_logins=0)
    session.add(user)
    session.flush()
    return user


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    return value if value is None or value.tzinfo else value.replace(tzinfo=dt.UTC)


def authenticate(session: Session, username: str, password: str, settings: Settings | None = None,
                 now: dt.datetime | None = None) -> StaffUser:
    """The user, or :class:`AuthError`; repeated failures lock the account for a while."""
    s = settings or get_settings()
    now = now or utcnow()
    user = session.scalar(select(StaffUser).where(StaffUser.username == username.strip().lower()[:64]))
    if user is None or not user.active:
        try:  # same work as for a real account, so timing does not tell which usernames exist
            _hasher.verify(_DUMMY_HASH, password)
        except VerificationError:
            pass
        raise AuthError()
    locked_until = _aware(user.locked_until)
    if locked_until and locked_until > now:
        raise AuthError(locked=True)
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        user.failed_logins = (user.failed_logins or 0) + 1
        if user.failed_logins >= s.console_max_failures:
            user.locked_until = now + dt.timedelta(minutes=s.console_lockout_minutes)
            user.failed_logins = 0
            raise AuthError(locked=True) from None
        raise AuthError() from None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    return user


def secret_key(settings: Settings | None = None) -> str:
    """``DVCBOT_CONSOLE_SECRET``, else a random key generated once and kept in var/ (mode 0600)."""
    s = settings or get_settings()
    if s.console_secret:
        return s.console_secret
    return _file_secret(str(s.var_dir))


@lru_cache(maxsize=8)
def _file_secret(var_dir: str) -> str:
    path = Path(var_dir) / "console_secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def _serializer(key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(key, salt="dvcbot-staff-session")


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, user: StaffUser, key: str, minutes: int) -> str:
    """Record a sign-in; returns the signed cookie value."""
    token = secrets.token_urlsafe(32)
    session.add(StaffSession(id=_hash_token(token), staff_id=user.id,
                             expires_at=utcnow() + dt.timedelta(minutes=minutes)))
    return _serializer(key).dumps(token)


def session_user(session: Session, cookie: str | None, key: str, minutes: int) -> StaffUser | None:
    if not cookie or len(cookie) > 512:
        return None
    try:
        token = _serializer(key).loads(cookie, max_age=minutes * 60)
    except BadSignature:
        return None
    row = session.get(StaffSession, _hash_token(token))
    if row is None or row.revoked or _aware(row.expires_at) < utcnow():
        return None
    user = session.get(StaffUser, row.staff_id)
    return user if user is not None and user.active else None


def end_session(session: Session, cookie: str | None, key: str) -> None:
    if not cookie:
        return
    try:
        token = _serializer(key).loads(cookie)
    except BadSignature:
        return
    row = session.get(StaffSession, _hash_token(token))
    if row is not None:
        row.revoked = True


def has_role(user: StaffUser, role: str) -> bool:
    return RANK.get(user.role, -1) >= RANK[role]
