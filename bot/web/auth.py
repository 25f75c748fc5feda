"""Staff authentication: session cookie, login/logout, idle expiry, roles, CSRF, login throttling.

Contract used by the admin and desk interfaces:
- `current_user(request)` -> the logged-in, active `StaffUser` or None (idle sessions end);
- `requires_roles(*roles)` decorates an async endpoint: not logged in -> 303 to
  `/login?next=<path>` (401 for JSON/API requests), wrong role -> 403 page; "admin" may use
  every staff page; state-changing requests (POST/PUT/PATCH/DELETE) are CSRF-checked;
- `csrf_token(request)` for templates, `await verify_csrf(request)` for other handlers.

Sessions live in a signed cookie; the server ends them after SESSION_IDLE_MINUTES without a
request, after COOKIE_MAX_AGE_SECONDS in any case, as soon as the account is disabled or
its password changes (the session remembers a fingerprint of the password hash), and at
logout: the session's random id is recorded as revoked, so a copy of the cookie taken before
logout (or re-sent by a request still in flight) no longer logs anyone in.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable
from urllib.parse import quote, urlsplit

from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from bot.accounts.models import RevokedStaffSession, StaffUser
from bot.accounts.service import authenticate
from bot.catalogue.db import unit_of_work
from bot.settings import Settings

Endpoint = Callable[[Request], Awaitable[Response]]

SESSION_COOKIE = "cremona_staff"
SESSION_USER = "staff_user_id"
SESSION_SEEN = "staff_seen_at"
SESSION_STARTED = "staff_login_at"
SESSION_AUTH = "staff_auth"
SESSION_CSRF = "csrf_token"
SESSION_ID = "staff_session_id"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
COOKIE_MAX_AGE_SECONDS = 12 * 60 * 60  # the idle limit is enforced server-side, well before this
HOME_BY_ROLE = {"desk": "/desk"}
DEFAULT_HOME = "/admin"
CLIENT_FAILURE_FACTOR = 4  # failures from one address across all usernames: 4x the per-user limit


class CsrfError(HTTPException):
    """A state-changing request without the session's CSRF token."""

    def __init__(self) -> None:
        super().__init__(status_code=403, detail=CSRF_FIELD)


def session_middleware(settings: Settings) -> Middleware:
    """Signed, HttpOnly, SameSite=Lax session cookie (Secure in production)."""
    return Middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=COOKIE_MAX_AGE_SECONDS,
        same_site="lax",
        https_only=settings.app_env == "production",
    )


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _sessions(request: Request) -> sessionmaker[Session]:
    factory: sessionmaker[Session] = request.app.state.sessions
    return factory


def _load_user(request: Request) -> StaffUser | None:
    session = request.session
    user_id = session.get(SESSION_USER)
    if user_id is None:
        return None
    now = time.time()
    seen = session.get(SESSION_SEEN)
    started = session.get(SESSION_STARTED, seen)
    idle_limit = _settings(request).session_idle_minutes * 60
    if (
        not isinstance(seen, int | float)
        or not isinstance(started, int | float)
        or now - seen > idle_limit
        or now - started > COOKIE_MAX_AGE_SECONDS
    ):
        session.clear()
        request.state.session_expired = True
        return None
    session_id = session.get(SESSION_ID)
    with _sessions(request)() as db:
        user = db.get(StaffUser, user_id)
        if (
            user is None
            or not user.active
            or session.get(SESSION_AUTH) != password_fingerprint(user.password_hash)
            or not isinstance(session_id, str)
            or db.get(RevokedStaffSession, session_id) is not None
        ):
            session.clear()
            return None
        user.organizations  # noqa: B018  (load before the session closes)
        db.expunge(user)
    session[SESSION_SEEN] = now
    return user


def password_fingerprint(password_hash: str) -> str:
    """Changes whenever the password does: a session from before a password change ends."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def current_user(request: Request) -> StaffUser | None:
    """The logged-in active staff user, or None (an idle session is ended here)."""
    if not hasattr(request.state, "staff_user"):
        request.state.staff_user = _load_user(request)
    user: StaffUser | None = request.state.staff_user
    return user


def current_user_cached(request: Request) -> StaffUser | None:
    """The user already resolved for this request (None when no check ran)."""
    user: StaffUser | None = getattr(request.state, "staff_user", None)
    return user


def csrf_token(request: Request) -> str:
    """The session's CSRF token (created on first use), for forms and the X-CSRF-Token header."""
    token = request.session.get(SESSION_CSRF)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session[SESSION_CSRF] = token
    return token


async def verify_csrf(request: Request) -> None:
    """Raise `CsrfError` (403) unless the request carries the session's CSRF token."""
    expected = request.session.get(SESSION_CSRF)
    supplied = request.headers.get(CSRF_HEADER)
    if supplied is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            value = (await request.form()).get(CSRF_FIELD)
            supplied = value if isinstance(value, str) else None
    if not (
        isinstance(expected, str)
        and expected
        and supplied
        and hmac.compare_digest(expected.encode(), supplied.encode())
    ):
        raise CsrfError()


def wants_json(request: Request) -> bool:
    """True for API calls (JSON in or out) rather than page navigation."""
    accept = request.headers.get("accept", "")
    return (
        request.url.path.startswith("/api/")
        or request.headers.get("content-type", "").startswith("application/json")
        or ("application/json" in accept and "text/html" not in accept)
    )


def login_redirect(request: Request) -> Response:
    """303 to the login page, coming back to this page afterwards (401 for API requests)."""
    if wants_json(request):
        return JSONResponse({"error": "not_authenticated"}, status_code=401)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if request.method != "GET":
        target = request.headers.get("referer", "") and urlsplit(request.headers["referer"]).path
    location = f"/login?next={quote(target or DEFAULT_HOME, safe='/')}"
    if getattr(request.state, "session_expired", False):
        location += "&expired=1"
    return RedirectResponse(location, status_code=303)


def forbidden(request: Request, reason: str = "role") -> Response:
    """The 403 page (or JSON for API requests)."""
    if wants_json(request):
        return JSONResponse({"error": "forbidden", "reason": reason}, status_code=403)
    from bot.admin.pages import render

    return render(request, "auth/forbidden.html", {"reason": reason}, status_code=403)


def requires_roles(*roles: str) -> Callable[[Endpoint], Endpoint]:
    """Only logged-in users with one of `roles` (or admin) reach the endpoint; CSRF on writes."""
    allowed = frozenset(roles) | {"admin"}

    def decorate(endpoint: Endpoint) -> Endpoint:
        @functools.wraps(endpoint)
        async def guarded(request: Request) -> Response:
            user = await run_in_threadpool(current_user, request)
            if user is None:
                return login_redirect(request)
            if user.role not in allowed:
                return forbidden(request)
            if request.method in STATE_CHANGING:
                try:
                    await verify_csrf(request)
                except CsrfError:
                    return forbidden(request, "csrf")
            return await endpoint(request)

        return guarded

    return decorate


class LoginThrottle:
    """Counts failed logins per (username, client address) in a sliding window."""

    def __init__(self, max_failures: int, window_seconds: float) -> None:
        self.max_failures = max_failures
        self.window_seconds = window_seconds
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and now - failures[0] > self.window_seconds:
            failures.popleft()
        return failures

    def locked(self, key: tuple[str, str]) -> bool:
        """True while the key has used up its failures in the window."""
        with self._lock:
            return len(self._recent(key, time.monotonic())) >= self.max_failures

    def failed(self, key: tuple[str, str]) -> None:
        """Remember one failed attempt."""
        with self._lock:
            self._recent(key, time.monotonic()).append(time.monotonic())

    def succeeded(self, key: tuple[str, str]) -> None:
        """Forget the key's failures."""
        with self._lock:
            self._failures.pop(key, None)


def _throttle(request: Request) -> LoginThrottle:
    state = request.app.state
    if not hasattr(state, "login_throttle"):
        settings = _settings(request)
        state.login_throttle = LoginThrottle(
            settings.login_max_failures, settings.login_lockout_minutes * 60
        )
    throttle: LoginThrottle = state.login_throttle
    return throttle


def _client_throttle(request: Request) -> LoginThrottle:
    """Failures from one address whatever the username (password spraying)."""
    state = request.app.state
    if not hasattr(state, "client_login_throttle"):
        settings = _settings(request)
        state.client_login_throttle = LoginThrottle(
            settings.login_max_failures * CLIENT_FAILURE_FACTOR,
            settings.login_lockout_minutes * 60,
        )
    throttle: LoginThrottle = state.client_login_throttle
    return throttle


def safe_next(target: str | None, user: StaffUser) -> str:
    """A local path to go to after login (never another site)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return HOME_BY_ROLE.get(user.role, DEFAULT_HOME)


async def login_page(request: Request) -> Response:
    """GET /login: the login form (straight on when already logged in)."""
    from bot.admin.pages import render

    user = await run_in_threadpool(current_user, request)
    next_path = request.query_params.get("next", "")
    if user is not None:
        return RedirectResponse(safe_next(next_path, user), status_code=303)
    context = {"next": next_path, "error": None, "username": "", "expired": False}
    context["expired"] = request.query_params.get("expired") == "1"
    return render(request, "auth/login.html", context)


def _authenticate(request: Request, username: str, password: str) -> StaffUser | None:
    with unit_of_work(_sessions(request)) as db:
        user = authenticate(db, username, password)
        if user is not None:
            user.organizations  # noqa: B018
            db.expunge(user)
        return user


async def login_submit(request: Request) -> Response:
    """POST /login: check CSRF, throttle, password; start a fresh session."""
    from bot.admin.pages import render

    form = await request.form()
    username = str(form.get("username", "")).strip()
    password = str(form.get("password", ""))
    next_path = str(form.get("next", ""))
    context = {"next": next_path, "username": username, "expired": False}
    try:
        await verify_csrf(request)
    except CsrfError:
        return render(request, "auth/login.html", {**context, "error": "csrf"}, 403)
    client = request.client.host if request.client else "unknown"
    key = (username.lower(), client)
    throttle, client_throttle = _throttle(request), _client_throttle(request)
    if throttle.locked(key) or client_throttle.locked(("*", client)):
        return render(request, "auth/login.html", {**context, "error": "locked"}, 429)
    user = await run_in_threadpool(_authenticate, request, username, password)
    if user is None:
        throttle.failed(key)
        client_throttle.failed(("*", client))
        return render(request, "auth/login.html", {**context, "error": "invalid"}, 401)
    throttle.succeeded(key)
    language = request.session.get("admin_lang")
    request.session.clear()
    if language:
        request.session["admin_lang"] = language
    request.session[SESSION_USER] = user.id
    request.session[SESSION_SEEN] = request.session[SESSION_STARTED] = time.time()
    request.session[SESSION_AUTH] = password_fingerprint(user.password_hash)
    request.session[SESSION_CSRF] = secrets.token_urlsafe(32)
    request.session[SESSION_ID] = secrets.token_urlsafe(32)
    return RedirectResponse(safe_next(next_path, user), status_code=303)


async def logout(request: Request) -> Response:
    """POST /logout: end the session entirely."""
    try:
        await verify_csrf(request)
    except CsrfError:
        return forbidden(request, "csrf")
    session_id = request.session.get(SESSION_ID)
    if isinstance(session_id, str):
        await run_in_threadpool(_revoke, request, session_id)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


def _revoke(request: Request, session_id: str) -> None:
    """Refuse this session from now on; forget revocations whose cookies have expired."""
    now = dt.datetime.now(dt.UTC)
    with unit_of_work(_sessions(request)) as db:
        db.execute(delete(RevokedStaffSession).where(RevokedStaffSession.expires_at < now))
        if db.get(RevokedStaffSession, session_id) is None:
            expires = now + dt.timedelta(seconds=COOKIE_MAX_AGE_SECONDS)
            db.add(RevokedStaffSession(session_id=session_id, expires_at=expires))


def auth_routes() -> list[Route]:
    """The login and logout routes."""
    return [
        Route("/login", login_page, methods=["GET"]),
        Route("/login", login_submit, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
    ]
