"""Pages of the woodpecker programme: /woodpecker/ for readers, /woodpecker/editor/ for editors."""

from django.urls import path

from jinlin.woodpecker import views

urlpatterns = [
    path("woodpecker/", views.public_form, name="woodpecker_public"),
    path("woodpecker/picker/", views.picker, name="woodpecker_picker"),
    path("woodpecker/parse/", views.parse, name="woodpecker_parse"),
    path("woodpecker/receipt/", views.receipt, name="woodpecker_receipt_lookup"),
    path("woodpecker/receipt/<str:number>/", views.receipt, name="woodpecker_receipt"),
    path("woodpecker/winners/", views.winners, name="woodpecker_winners"),
    path("woodpecker/editor/", views.editor_home, name="woodpecker_editor"),
    path("woodpecker/editor/reports/", views.report_queue, name="woodpecker_queue"),
    path(
        "woodpecker/editor/reports/<int:report_id>/", views.report_detail, name="woodpecker_report"
    ),
    path(
        "woodpecker/editor/reports/<int:report_id>/article/",
        views.report_link,
        name="woodpecker_report_link",
    ),
    path(
        "woodpecker/editor/reports/<int:report_id>/contact/",
        views.contact_reveal,
        name="woodpecker_contact",
    ),
    path("woodpecker/editor/catalogue/", views.catalogue, name="woodpecker_catalogue"),
    path(
        "woodpecker/editor/publications/<int:publication_id>/",
        views.publication_edit,
        name="woodpecker_publication",
    ),
    path("woodpecker/editor/issues/<int:issue_id>/", views.issue_detail, name="woodpecker_issue"),
    path(
        "woodpecker/editor/pages/<int:page_id>/articles/new/",
        views.article_create,
        name="woodpecker_article_create",
    ),
    path(
        "woodpecker/editor/articles/<int:article_id>/",
        views.article_detail,
        name="woodpecker_article",
    ),
    path(
        "woodpecker/editor/articles/<int:article_id>/edit/",
        views.article_edit,
        name="woodpecker_article_edit",
    ),
    path("woodpecker/editor/rounds/<str:code>/", views.round_detail, name="woodpecker_round"),
    path(
        "woodpecker/editor/rounds/<str:code>/settings/",
        views.round_settings,
        name="woodpecker_round_settings",
    ),
    path(
        "woodpecker/editor/rounds/<str:code>/confirm/",
        views.round_confirm,
        name="woodpecker_round_confirm",
    ),
    path(
        "woodpecker/editor/rounds/<str:code>/reopen/",
        views.round_reopen,
        name="woodpecker_round_reopen",
    ),
    path(
        "woodpecker/editor/awards/<int:award_id>/ledger/",
        views.ledger_record,
        name="woodpecker_ledger_record",
    ),
    path("woodpecker/editor/ledger/", views.ledger, name="woodpecker_ledger"),
]
