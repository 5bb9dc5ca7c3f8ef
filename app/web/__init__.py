"""Blueprints, one per area. Views parse input, call a service and render or redirect."""

from __future__ import annotations

from flask import Flask
from flask_babel import get_locale
from flask_login import current_user

from app.models.labels import label, theme_label, why
from app.web import (
    activities,
    admin,
    api,
    api_tokens,
    auth,
    candidates,
    choose,
    companies,
    errors,
    fairness,
    group_events,
    imports,
    invitations,
    jobs,
    main,
    matching,
    monitor,
    notifications,
    observations,
    offers,
    placements,
    profile,
    review,
    schools,
    students,
    talent_gap,
    themes,
    threads,
    two_factor,
)
from app.web.auth.forms import LogoutForm
from app.web.threads.blocks import after_yes, after_yes_prefetch, message_role


def register(app: Flask) -> None:
    for module in (auth, main, profile, students, schools, companies, placements, activities,
                   observations, imports, themes, invitations, candidates, matching,
                   notifications, review, offers, monitor, fairness, talent_gap,
                   group_events, two_factor, jobs, threads, choose):
        app.register_blueprint(module.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(api_tokens.bp)
    api.register(app)
    errors.register(app)

    app.jinja_env.filters["label"] = label
    app.jinja_env.filters["why"] = why
    app.jinja_env.filters["theme_label"] = theme_label
    app.jinja_env.filters["message_role"] = message_role
    app.jinja_env.globals["after_yes"] = after_yes
    app.jinja_env.globals["after_yes_prefetch"] = after_yes_prefetch

    @app.context_processor
    def _layout():
        # formdata=None: the layout must never read the request body (a 413 page would
        # read an oversized upload again and turn into a 500).
        logout_form = LogoutForm(formdata=None) if current_user.is_authenticated else None
        locale = get_locale()
        return {"logout_form": logout_form,
                "current_language": locale.language if locale else "nl"}

