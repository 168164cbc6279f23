"""Who may upload and roll back: viewing is open, changing data needs a login.

In order of preference:

1. ``oidc``: ``st.login`` when an ``[auth]`` section is configured in ``.streamlit/secrets.toml``
   (Streamlit's OpenID Connect login); the user's e-mail (or name) is recorded with each version.
2. ``password``: a shared password whose hash is in secrets (``upload_password_hash``) or in the
   environment (``GKA_DASH_UPLOAD_PASSWORD_HASH``). Make a hash with
   ``python -c "from gka_dash.ui_auth import hash_password; print(hash_password('...'))"``.
3. ``local``: neither is configured, but the server only listens on 127.0.0.1 (the README's run
   command): whoever can reach it sits at this machine, so uploads are allowed and the page says so.
4. ``closed``: none of the above; uploading and rolling back are switched off.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets

import streamlit as st

ENV_PASSWORD_HASH = "GKA_DASH_UPLOAD_PASSWORD_HASH"
SECRET_PASSWORD_HASH = "upload_password_hash"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_ITERATIONS = 200_000
_SESSION_USER = "gka_upload_user"


def hash_password(password: str, salt: str | None = None, iterations: int = _ITERATIONS) -> str:
    """``pbkdf2_sha256$<iterations>$<salt>$<hex digest>`` (standard library PBKDF2)."""
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt.encode("ascii"), iterations)
    return f"pbkdf2_sha256${iterations}${salt}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    """Constant-time comparison of ``password`` with a hash from :func:`hash_password`."""
    try:
        scheme, iterations, salt, _digest = stored.strip().split("$")
    except ValueError:
        return False
    if scheme != "pbkdf2_sha256":
        return False
    return hmac.compare_digest(hash_password(password, salt, int(iterations)), stored.strip())


def _secret(name: str):
    try:
        return st.secrets.get(name)
    except Exception:  # noqa: BLE001 - no secrets.toml at all is a normal setup
        return None


def _oidc_configured() -> bool:
    auth = _secret("auth")
    return bool(auth) and bool(auth.get("redirect_uri")) and bool(auth.get("cookie_secret"))


def password_hash() -> str | None:
    return _secret(SECRET_PASSWORD_HASH) or os.environ.get(ENV_PASSWORD_HASH) or None


def listens_on_loopback_only() -> bool:
    """True when the server address is a loopback address (``--server.address 127.0.0.1``)."""
    address = st.get_option("server.address")
    return bool(address) and str(address).strip() in LOOPBACK


def auth_mode() -> str:
    """'oidc', 'password', 'local' or 'closed' (see the module docstring)."""
    if _oidc_configured():
        return "oidc"
    if password_hash():
        return "password"
    if listens_on_loopback_only():
        return "local"
    return "closed"


def current_user() -> str | None:
    """The name recorded with a version, or None when this session may not change data."""
    mode = auth_mode()
    if mode == "oidc":
        user = st.user
        if not user.is_logged_in:
            return None
        return str(user.get("email") or user.get("name") or user.get("sub") or "ingelogd")
    if mode == "password":
        return st.session_state.get(_SESSION_USER)
    if mode == "local":
        return "lokaal"
    return None


def login_panel() -> str | None:
    """Show the login state for uploads; return the user when this session may change data."""
    mode = auth_mode()
    if mode == "oidc":
        if st.user.is_logged_in:
            st.caption(f"Ingelogd als {current_user()}.")
            if st.button("Uitloggen", key="upload_logout"):
                st.logout()
            return current_user()
        st.info("Bekijken kan iedereen. Om gegevens te uploaden of terug te draaien moet je inloggen.")
        if st.button("Inloggen", key="upload_login"):
            st.login()
        return None
    if mode == "password":
        user = st.session_state.get(_SESSION_USER)
        if user:
            st.caption(f"Ingelogd als {user}.")
            if st.button("Uitloggen", key="upload_logout"):
                del st.session_state[_SESSION_USER]
                st.rerun()
            return user
        st.info("Bekijken kan iedereen. Om gegevens te uploaden of terug te draaien heb je het uploadwachtwoord nodig.")
        with st.form("upload_login_form"):
            name = st.text_input("Je naam (wordt bij elke versie bewaard)", key="upload_login_name")
            password = st.text_input("Wachtwoord", type="password", key="upload_login_password")
            submitted = st.form_submit_button("Inloggen")
        if submitted:
            if check_password(password, password_hash() or ""):
                st.session_state[_SESSION_USER] = (name.strip() or "analist")[:100]
                st.rerun()
            else:
                st.error("Onjuist wachtwoord.")
        return None
    if mode == "local":
        st.info(
            "Er is geen login ingesteld. Uploaden mag toch, omdat deze server alleen op 127.0.0.1 luistert "
            "(alleen bereikbaar vanaf deze computer). Stel een login in (st.login of een wachtwoord-hash) "
            "voordat je de server op een netwerkadres zet."
        )
        return "lokaal"
    st.warning(
        "Uploaden en terugdraaien zijn uitgeschakeld: er is geen login ingesteld en de server luistert niet "
        "alleen op 127.0.0.1. Stel st.login (OIDC) in, of zet een wachtwoord-hash in secrets "
        f"('{SECRET_PASSWORD_HASH}') of in de omgevingsvariabele {ENV_PASSWORD_HASH}."
    )
    return None
