"""Plain typed domain model: no framework imports, nothing here depends on the rest."""
from .enums import *  # noqa: F401,F403
from .model import (  # noqa: F401
    Actor,
    Claim,
    Incident,
    IncidentDate,
    Involvement,
    Location,
    NamedPerson,
    Person,
    Source,
    SourceEvaluation,
    Span,
    VictimGroup,
)
from .originals import (  # noqa: F401
    Derivative,
    MediaFrameHash,
    MediaInfo,
    NearDuplicate,
    SourceLink,
)
