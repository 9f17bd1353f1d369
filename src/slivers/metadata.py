"""Every domain's tables in one MetaData, for Alembic and the tests: it imports each domain's models, so it
sits above the domains (db itself imports none of them)."""

from slivers.accounts import models as accounts_models
from slivers.audit import models as audit_models
from slivers.db.base import metadata
from slivers.market import models as market_models
from slivers.matching import models as matching_models
from slivers.notifications import models as notifications_models
from slivers.payments import models as payments_models
from slivers.vetting import models as vetting_models

__all__ = [
    "accounts_models",
    "audit_models",
    "market_models",
    "matching_models",
    "metadata",
    "notifications_models",
    "payments_models",
    "vetting_models",
]
