"""Tokens for integrations: who may see and revoke one. Admins every token; a coordinator
those they made, those acting as themselves and those acting as an account of their region
they manage (app.permissions.admin); everyone else none. A student's personal token is hers
(:func:`get_own_api_token_or_404`) and, on the integrations' pages, an admin's only."""

from __future__ import annotations

from app.db import get_session
from app.models import ApiToken, Role, User
from app.permissions.admin import can_administer, can_manage_user
from app.permissions.base import current_actor, load_or_404


def can_manage_token(actor: User, token: ApiToken) -> bool:
    if actor.role is Role.admin:
        return True
    if not can_administer(actor) or token.personal:
        return False
    if actor.id in (token.created_by_id, token.user_id):
        return True
    acting = get_session().get(User, token.user_id)
    return acting is not None and can_manage_user(actor, acting)


def get_api_token_or_404(token_id: int) -> ApiToken:
    actor = current_actor()
    return load_or_404(ApiToken, token_id, lambda token: can_manage_token(actor, token))


def get_own_api_token_or_404(token_id: int) -> ApiToken:
    """A personal token of the signed-in student (her own, made by herself)."""
    actor = current_actor()
    return load_or_404(ApiToken, token_id,
                       lambda token: token.user_id == actor.id and token.personal)
