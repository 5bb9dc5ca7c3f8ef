"""The data model of the whole product. Import from here."""

from sqlmodel import SQLModel

from .access import AccessCode, AccountInvitation
from .activities import (
    Activity,
    ActivityObserver,
    ActivityTheme,
    ObservationRevision,
    ObservationTheme,
    Participation,
    TalentObservation,
    school_year_of,
)
from .admin_log import AdminLogEntry
from .api_idempotency import ApiIdempotencyKey
from .api_tokens import API_SCOPES, STUDENT_SCOPES, ApiAccess, ApiArea, ApiToken, ApiTokenUse
from .base import local_today, utcnow
from .enums import (
    ATTENDANCE_MARKS,
    ActivityKind,
    Attendance,
    ConsentGiver,
    Gender,
    Level,
    Pathway,
    Pillar,
    PinKind,
    PlacementKind,
    PlacementStatus,
    ProposalOrigin,
    ProposalStatus,
    Role,
    RoundStatus,
    SchoolKind,
)
from .group_events import (
    AgeGroup,
    GroupAssignment,
    GroupEvent,
    GroupEventStatus,
    GroupRequest,
    HostOffer,
)
from .jobs import JOB_DONE, JOB_WAITING, BackgroundJob, JobKind, JobStatus
from .matching import (
    DecisionLog,
    MatchPin,
    MatchProposal,
    MatchRound,
    Notification,
    OutboxEmail,
    PlacementFeedback,
)
from .messages import MESSAGE_MAX, ContactPhone, ProposalMessage
from .organisations import Company, CompanyContact, Region, School
from .placements import Placement, PlacementEvent, PlacementTheme
from .students import Consent, StudentGender, StudentProfile, StudentTheme, Theme
from .two_factor import TwoFactor
from .users import User

metadata = SQLModel.metadata

__all__ = [
    "JOB_DONE", "JOB_WAITING", "BackgroundJob", "JobKind", "JobStatus",
    "AccessCode", "AccountInvitation",
    "ATTENDANCE_MARKS", "Attendance",
    "Activity", "ActivityKind", "ActivityObserver", "ActivityTheme", "AgeGroup", "Company",
    "CompanyContact", "GroupAssignment", "GroupEvent", "GroupEventStatus", "GroupRequest",
    "HostOffer",
    "Consent", "ConsentGiver", "DecisionLog", "Gender", "Level", "MatchPin", "MatchProposal",
    "MatchRound", "Notification", "ObservationRevision", "ObservationTheme", "OutboxEmail",
    "Participation", "Pathway", "Pillar", "PinKind", "Placement", "PlacementEvent",
    "PlacementFeedback", "PlacementKind", "PlacementStatus", "PlacementTheme", "ProposalOrigin",
    "ProposalStatus",
    "Region", "Role", "RoundStatus", "School", "SchoolKind", "StudentGender", "StudentProfile",
    "StudentTheme", "TalentObservation", "Theme", "User", "metadata", "school_year_of", "utcnow",
    "local_today",
    "TwoFactor",
    "AdminLogEntry",
    "MESSAGE_MAX", "ContactPhone", "ProposalMessage",
    "API_SCOPES", "STUDENT_SCOPES", "ApiAccess", "ApiArea", "ApiToken", "ApiTokenUse",
    "ApiIdempotencyKey",
]
