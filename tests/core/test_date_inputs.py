"""A date the page already knows shows in its date picker: `<input type="date">` accepts only
YYYY-MM-DD, and the zh-hans format (2026/12/04) left it empty (a 楼组长's contact form came up
without today's date; the resident form without the birth date it was about to save)."""

from datetime import date

import pytest
from django import forms

from jinlin.chain.forms import ContactForm
from jinlin.fieldwork.common.forms import DATE
from jinlin.overview.audit_views import AuditSearchForm
from jinlin.party.forms import MeetingForm
from jinlin.people.forms import LeaveForm, ResidentForm

DAY = date(1950, 3, 2)


@pytest.mark.parametrize(
    ("form_class", "field"),
    [
        (ContactForm, "contacted_on"),
        (LeaveForm, "on"),
        (MeetingForm, "held_on"),
        (AuditSearchForm, "since"),
        (AuditSearchForm, "until"),
        (ResidentForm, "birth_date"),
    ],
)
def test_every_date_input_renders_its_value_as_the_browser_reads_it(form_class, field):
    form = form_class.__new__(form_class)
    forms.BaseForm.__init__(form, initial={field: DAY})
    html = str(form[field])
    assert 'type="date"' in html and 'value="1950-03-02"' in html


def test_fieldwork_date_widget_too():
    assert 'value="1950-03-02"' in DATE.render("visited_on", DAY)
