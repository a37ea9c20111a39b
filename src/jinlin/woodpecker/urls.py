"""Pages of the woodpecker programme: /woodpecker/ for readers, /woodpecker/editor/ for editors."""

from django.urls import path

from jinlin.woodpecker.views import catalogue as catalogue_views
from jinlin.woodpecker.views import proofreading as proofreading_views
from jinlin.woodpecker.views import public as public_views
from jinlin.woodpecker.views import reports as reports_views
from jinlin.woodpecker.views import rounds as rounds_views

urlpatterns = [
    path("woodpecker/", public_views.public_form, name="woodpecker_public"),
    path("woodpecker/picker/", public_views.picker, name="woodpecker_picker"),
    path("woodpecker/parse/", public_views.parse, name="woodpecker_parse"),
    path("woodpecker/receipt/", public_views.receipt, name="woodpecker_receipt_lookup"),
    path("woodpecker/receipt/<str:number>/", public_views.receipt, name="woodpecker_receipt"),
    path("woodpecker/winners/", public_views.winners, name="woodpecker_winners"),
    path("woodpecker/editor/", reports_views.editor_home, name="woodpecker_editor"),
    path("woodpecker/editor/reports/", reports_views.report_queue, name="woodpecker_queue"),
    path(
        "woodpecker/editor/reports/<int:report_id>/",
        reports_views.report_detail,
        name="woodpecker_report",
    ),
    path(
        "woodpecker/editor/reports/<int:report_id>/article/",
        reports_views.report_link,
        name="woodpecker_report_link",
    ),
    path(
        "woodpecker/editor/reports/<int:report_id>/contact/",
        reports_views.contact_reveal,
        name="woodpecker_contact",
    ),
    path("woodpecker/editor/catalogue/", catalogue_views.catalogue, name="woodpecker_catalogue"),
    path(
        "woodpecker/editor/publications/<int:publication_id>/",
        catalogue_views.publication_edit,
        name="woodpecker_publication",
    ),
    path(
        "woodpecker/editor/issues/<int:issue_id>/",
        catalogue_views.issue_detail,
        name="woodpecker_issue",
    ),
    path(
        "woodpecker/editor/pages/<int:page_id>/articles/new/",
        catalogue_views.article_create,
        name="woodpecker_article_create",
    ),
    path(
        "woodpecker/editor/articles/<int:article_id>/",
        catalogue_views.article_detail,
        name="woodpecker_article",
    ),
    path(
        "woodpecker/editor/articles/<int:article_id>/edit/",
        catalogue_views.article_edit,
        name="woodpecker_article_edit",
    ),
    path(
        "woodpecker/editor/rounds/<str:code>/", rounds_views.round_detail, name="woodpecker_round"
    ),
    path(
        "woodpecker/editor/rounds/<str:code>/settings/",
        rounds_views.round_settings,
        name="woodpecker_round_settings",
    ),
    path(
        "woodpecker/editor/rounds/<str:code>/confirm/",
        rounds_views.round_confirm,
        name="woodpecker_round_confirm",
    ),
    path(
        "woodpecker/editor/rounds/<str:code>/reopen/",
        rounds_views.round_reopen,
        name="woodpecker_round_reopen",
    ),
    path(
        "woodpecker/editor/awards/<int:award_id>/ledger/",
        rounds_views.ledger_record,
        name="woodpecker_ledger_record",
    ),
    path("woodpecker/editor/ledger/", rounds_views.ledger, name="woodpecker_ledger"),
    path(
        "woodpecker/editor/proofread/",
        proofreading_views.proofread_home,
        name="woodpecker_proofread",
    ),
    path(
        "woodpecker/editor/proofread/decide/",
        proofreading_views.proofread_decide,
        name="woodpecker_proofread_decide",
    ),
    path(
        "woodpecker/editor/issues/<int:issue_id>/proofread/",
        proofreading_views.proofread_issue,
        name="woodpecker_proofread_issue",
    ),
]
