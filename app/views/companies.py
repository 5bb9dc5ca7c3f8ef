from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from ..db import get_session
from ..permissions import can_edit_company, get_company_or_404
from ..services.details import company_detail

bp = Blueprint("companies", __name__, url_prefix="/companies")


@bp.route("/<int:company_id>")
@login_required
def detail(company_id: int):
    company = get_company_or_404(company_id)
    data = company_detail(session=get_session(), company=company,
                          include_drafts=can_edit_company(current_user, company))
    return render_template("companies/detail.html", data=data)
