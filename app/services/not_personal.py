"""The other half of the map of personal data (personal_data.py): the text columns that hold
nothing about a student, each with the reason. A test checks that every text column of the
model is either here or in ``personal_data.PLACES``."""

from __future__ import annotations

# Text columns that hold nothing about a student, each with the reason.
NOT_PERSONAL: dict[str, str] = {
    **{f"background_job.{c}": "which background job, for which school or region, and how far"
       for c in ("kind", "scope_key", "scope_label", "status", "stage")},
    "background_job.error": "a message the application wrote about the job as a whole",
    "background_job.parameters": "a job's settings; a region's part lists student ids only",
    **{f"region.{c}": "a region's name" for c in ("slug", "name")},
    "api_idempotency_key.key": "a text an integration chose to name one of its requests",
    "api_idempotency_key.request_hash": "a digest of the request, to recognise it again",
    "api_idempotency_key.body": "the answer to a keyed write, kept a day: counts and ids only "
                                "(docs/api.md, Idempotency-Key), never names or other details",
    **{f"theme.{c}": "the theme taxonomy" for c in
       ("slug", "label_nl", "label_en", "synonyms", "esco_codes")},
    **{f"company.{c}": "a company's public details" for c in
       ("name", "kvk", "sector", "address", "postcode", "place", "website", "recognised_for",
        "accessibility_notes")},
    **{f"school.{c}": "a school's public details" for c in
       ("code", "name", "kind", "levels", "postcode", "place")},
    **{f"placement.{c}": "a company's placement offer" for c in
       ("code", "title", "description", "learn_and_do", "occupation_code", "occupation_label",
        "occupation_chosen_for", "kind", "levels", "status", "postcode", "place", "allowance")},
    **{f"activity.{c}": "an activity of the programme" for c in
       ("code", "kind", "pillar", "title", "description", "school_year", "postcode", "place")},
    "companycontact.job_title": "a company contact's job, not a student's",
    "admin_log.actor_name": "the staff member who made a change; students use no admin screen",
    "admin_log.object_type": "a closed vocabulary (user, school, region)",
    "accesscode.code_hash": "a keyed hash of a random one-time code, not of anything about them",
    **dict.fromkeys(("twofactor.secret", "twofactor.recovery_code_hashes", "contactphone.phone"),
                    "a staff member's second factor or telephone; students never have one"),
    **{f"matchround.{c}": "a round's settings and counts, no one's names" for c in
       ("scope", "status", "parameters", "summary", "fairness_audit")},
    **{f"placementevent.{c}": "a step of a placement's state machine" for c in
       ("action", "from_status", "to_status")},
    **{f"groupevent.{c}": "a group event of the programme, groups counted, not named" for c in
       ("kind", "title", "status", "summary")},
    "grouprequest.name": "a class, e.g. 2B",
    **dict.fromkeys(("grouprequest.age_group", "hostoffer.age_groups"), "a closed vocabulary"),
}
