"""Blueprints, one per area. Views parse input, call a service and render or redirect."""

from __future__ import annotations

from flask import Flask
from flask_babel import get_locale

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
        # The menu's logout form writes its CSRF token field itself (base.html): a whole
        # LogoutForm made for every page (and every fragment rendered) only to print that
        # field cost more than the rest of the layout's setup (issue 20). It never reads the
        # request body, so a 413 page does not read an oversized upload again.
        locale = get_locale()
        return {"current_language": locale.language if locale else "nl"}

