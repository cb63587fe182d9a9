"""The portal's data, apart from the page types.

- ``base``: what agreements and events share (the published QuerySet, translated slugs and URLs);
- ``reference``: sectors, organisations, key figures, and the choices they use;
- ``agreements``: the register's agreements and their documents;
- ``events``: events, with their dates in their own time zone;
- ``limits``: what one visitor may send (the contact form's count per address).

Django's app registry imports the app's models from here: this module also imports the page types
(``relations.pages``), last, and re-exports everything, so that ``relations.models.Agreement`` and
the migrations' references keep working. Code of the portal imports from the submodules, never from
this package: a module below the pages that imported ``relations.models`` would import the pages.
"""

from relations.core.language import LANGUAGE_CODES, current_language, translated_value

from .agreements import (
    Agreement,
    AgreementDocument,
    AgreementKind,
    AgreementQuerySet,
    AgreementStatus,
    DocumentLanguage,
)
from .base import PublishedQuerySet, TranslatedSlugMixin
from .events import Event, EventKind, EventQuerySet
from .limits import ContactAttempt, RateLimit
from .office import OfficeCard
from .reference import (
    Country,
    EventTimeZone,
    FigureUnit,
    KeyFigure,
    Organization,
    OrganizationKind,
    Sector,
    Source,
)
from .search import SearchEntry

# Last: the page types import the data above and the lists (relations.listings).
# isort: off
from relations.pages import (  # noqa: E402
    AgreementIndexPage,
    AreaPage,
    BasePage,
    ContactFormField,
    ContactPage,
    DetailRoutesMixin,
    EventIndexPage,
    HomePage,
    StandardPage,
    TimelinePage,
    UpdateIndexPage,
    UpdatePage,
    any_view_restriction,
    live_areas,
    live_areas_prefetch,
    public_pages,
    serve_in_language,
)

# The data of the e-mail alerts and of the page feedback, kept beside the features that use them
# (they import nothing of the portal).
from relations.alerts.models import AlertItem, Delivery, Subscriber, Subscription  # noqa: E402
from relations.feedback.models import PageFeedback  # noqa: E402

# isort: on
