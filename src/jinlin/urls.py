"""The URL configuration: every app's pages, and the JSON API with every app's router mounted.

The API object (authentication, error answers in Chinese) is core's; the routers are the
domains', so they are put together here, at the top, where both may be imported.
"""

from django.contrib import admin
from django.urls import include, path

from jinlin.chain.activities.api import router as activities_router
from jinlin.chain.api import router as chain_router
from jinlin.chain.api_notices import router as notices_router
from jinlin.chain.needs.api import router as needs_router
from jinlin.core.api import api
from jinlin.core.api_accounts import router as accounts_router
from jinlin.door.api import router as door_router
from jinlin.fieldwork.api import router as fieldwork_router
from jinlin.overview.api import router as overview_router
from jinlin.party.api import router as party_router
from jinlin.people.api import router as people_router
from jinlin.places.api import router as places_router
from jinlin.woodpecker.api import router as woodpecker_router

api.add_router("/", accounts_router)
api.add_router("/", overview_router)
api.add_router("/", places_router)
api.add_router("/", people_router)
api.add_router("/", fieldwork_router)
api.add_router("/party", party_router)
api.add_router("/woodpecker", woodpecker_router)
api.add_router("/", notices_router)
api.add_router("/", chain_router)
api.add_router("/", activities_router)
api.add_router("/", needs_router)
api.add_router("/door", door_router)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("jinlin.core.urls")),
    path("", include("jinlin.overview.urls")),
    path("", include("jinlin.places.urls")),
    path("", include("jinlin.people.urls")),
    path("", include("jinlin.fieldwork.urls")),
    path("", include("jinlin.party.urls")),
    path("", include("jinlin.woodpecker.urls")),
    path("", include("jinlin.chain.urls")),
    path("", include("jinlin.door.urls")),
    path("", include("jinlin.ledgers.urls")),
    path("", include("jinlin.reminders.urls")),
]

handler400 = "jinlin.core.errors.bad_request"
handler403 = "jinlin.core.errors.permission_denied"
handler404 = "jinlin.core.errors.page_not_found"
handler500 = "jinlin.core.errors.server_error"
