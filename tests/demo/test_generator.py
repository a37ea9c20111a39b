"""The demo data is believable and valid: every ID passes, every building is reachable."""

from collections import defaultdict

import pytest
from django.core.management import call_command

from jinlin.core.idnumber import parse_id_number
from jinlin.core.models import Role, User
from jinlin.party.models import PartyMember
from jinlin.people.groups import GROUPS
from jinlin.people.models import GroupMembership, Resident
from jinlin.places.models import Building, BuildingAdjacency, Compound


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from jinlin.demo.generator import generate

        report = generate(scale="small", seed=7)
        yield report
        # Module-scoped data: remove it so other tests start from an empty database.
        from django.db import connection

        with connection.cursor() as cursor:
            tables = connection.introspection.django_table_names(
                only_existing=True, include_views=False
            )
            if connection.vendor == "postgresql":
                cursor.execute(
                    "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"
                )
            else:
                cursor.execute("PRAGMA foreign_keys=OFF")
                for table in tables:
                    cursor.execute(f'DELETE FROM "{table}"')
                cursor.execute("PRAGMA foreign_keys=ON")


@pytest.mark.django_db
def test_every_generated_id_number_is_valid_and_agrees_with_the_record(demo):
    for number, birth, gender in Resident.objects.values_list("id_number", "birth_date", "gender"):
        parsed = parse_id_number(number)
        assert (parsed.birth_date, parsed.gender) == (birth, gender)


@pytest.mark.django_db
def test_every_building_is_reachable_in_its_compound(demo):
    edges = defaultdict(set)
    for first, second in BuildingAdjacency.objects.values_list("first_id", "second_id"):
        edges[first].add(second)
        edges[second].add(first)
    for compound in Compound.objects.all():
        ids = set(Building.objects.filter(compound=compound).values_list("id", flat=True))
        start = min(ids)
        seen, todo = {start}, [start]
        while todo:
            for neighbour in edges[todo.pop()]:
                if neighbour not in seen:
                    seen.add(neighbour)
                    todo.append(neighbour)
        assert seen == ids, compound.name


@pytest.mark.django_db
def test_all_groups_are_present_and_party_members_are_about_one_in_ten(demo):
    present = set(GroupMembership.objects.values_list("group", flat=True))
    assert present == {code.value for code in GROUPS}
    share = PartyMember.objects.count() / Resident.objects.count()
    assert 0.05 < share < 0.15
    elderly = sum(
        1 for b in Resident.objects.values_list("birth_date", flat=True) if b.year <= 1966
    )
    assert elderly / Resident.objects.count() > 0.25  # an old Shanghai estate


@pytest.mark.django_db
def test_demo_accounts_exist_for_every_role(demo):
    roles = set(
        User.objects.filter(username__in=[a[0] for a in demo.accounts]).values_list(
            "role", flat=True
        )
    )
    assert roles == {role.value for role in Role}


@pytest.mark.django_db
def test_demo_pages_are_marked_as_demo(demo, client):
    client.force_login(User.objects.get(username="shuji"))
    from django.core.cache import cache

    cache.delete("jinlin:is_demo")
    html = client.get("/", follow=True).content.decode()
    assert "演示数据" in html


@pytest.mark.django_db
def test_demo_command_prints_counts_and_accounts(capsys):
    call_command("demo", scale="small", seed=3, quiet=True)
    out = capsys.readouterr().out
    assert "名居民" in out and "shuji" in out and "jinlin-demo-2026" in out


def test_id_numbers_stay_unique_when_many_people_share_a_birth_date():
    """Unique by construction (no set of every number given): 800 local numbers per birth date
    and gender, then numbers from other provinces; every one valid and agreeing."""
    import random
    from datetime import date

    from jinlin.demo.generator import _People

    people = _People(random.Random(1))
    birth = date(1950, 3, 2)
    numbers = [people.id_number(birth, gender, True) for gender in "MF" for _ in range(1000)]
    assert len(set(numbers)) == 2000
    for number, gender in zip(numbers, ["M"] * 1000 + ["F"] * 1000, strict=True):
        parsed = parse_id_number(number)
        assert (parsed.birth_date, parsed.gender) == (birth, gender)
    local = [n for n in numbers if n.startswith("31")]
    assert len(local) == 1600  # the rest came from elsewhere once Shanghai's were used up


@pytest.mark.django_db
def test_the_chain_is_at_work_in_the_demo_a_month_of_notices_told_by_their_members(demo):
    from jinlin.chain.access import member_households
    from jinlin.chain.models import Notice, Reach

    member = User.objects.get(username="dangyuan")
    leader = User.objects.get(username="louzu")
    assert member.role == leader.role == Role.NETWORK_MEMBER
    # (Checked by usability: the module's data was hashed before the tests' MD5 hasher.)
    assert member.has_usable_password() and leader.has_usable_password()
    assert member_households(member).count() >= 3
    assert member_households(leader).exists()
    notices = list(Notice.objects.all())
    assert len(notices) == 4 and any(not n.is_public for n in notices)
    reaches = list(Reach.objects.select_related("marked_by"))
    assert reaches
    # Each household was told by someone whose household it is: its contact or its 楼组长.
    own: dict[int, set[int]] = {}
    for reach in reaches:
        by = reach.marked_by
        if by.pk not in own:
            own[by.pk] = set(member_households(by).values_list("id", flat=True))
        assert reach.household_id in own[by.pk]
    # A month of contacts; what was passed on reached the workers as concerns (党员转达).
    from jinlin.chain.models import Contact
    from jinlin.fieldwork.concerns.models import Channel, Concern

    contacts = list(Contact.objects.all())
    assert len(contacts) > 10
    passed = [c for c in contacts if c.concern_id]
    assert passed and all(c.passed_on for c in passed)
    assert Concern.objects.filter(channel=Channel.PARTY_MEMBER).count() == len(passed)
    # Members who were never invited cannot sign in.
    others = User.objects.filter(role=Role.NETWORK_MEMBER).exclude(
        username__in=["dangyuan", "louzu"]
    )
    assert others.exists() and not any(u.has_usable_password() for u in others)


def test_the_demo_has_active_and_quiet_buildings(demo):
    from jinlin.chain.activities.access import recordable_buildings
    from jinlin.chain.activities.liveliness import Liveliness
    from jinlin.chain.activities.selectors import area_liveliness
    from jinlin.chain.models import BuildingActivity
    from jinlin.places.models import Area

    activities = list(BuildingActivity.objects.all())
    assert len(activities) > 10
    assert {a.kind for a in activities} == {"mutual_help", "hygiene", "mediation", "new_customs"}
    area = Area.objects.get(pk=activities[0].area_id)
    levels = {row.liveliness for block in area_liveliness(area) for row in block.buildings}
    assert {Liveliness.ACTIVE, Liveliness.QUIET} <= levels
    # The 楼组长 recorded its own building's, which is active.
    leader = User.objects.get(username="louzu")
    mine = BuildingActivity.objects.filter(recorded_by=leader)
    assert mine.exists()
    assert set(mine.values_list("building_id", flat=True)) <= set(
        recordable_buildings(leader).values_list("id", flat=True)
    )


@pytest.mark.django_db
def test_a_month_of_needs_with_claims_in_every_state_and_hours_for_dangyuan(demo):
    from jinlin.chain.needs.models import ClaimStatus, Need, NeedClaim
    from jinlin.chain.needs.selectors import hours_report

    assert Need.objects.count() == 10
    assert set(NeedClaim.objects.values_list("status", flat=True)) == set(ClaimStatus.values)
    done = NeedClaim.objects.filter(status=ClaimStatus.DONE)
    assert all(c.done_note and c.hours_served for c in done)
    member = User.objects.get(username="dangyuan")
    assert done.filter(member=member).count() >= 3
    need = Need.objects.first()
    assert need is not None
    rows = hours_report(need.area, need.starts_at.year)
    assert any(row.member == member and row.hours > 0 for row in rows)


@pytest.mark.django_db
def test_nothing_in_the_demo_happened_in_the_future(demo):
    from django.utils import timezone

    from jinlin.fieldwork.models import Case, CaseAction, Concern

    now = timezone.now()
    assert not Case.objects.filter(opened_at__gt=now).exists()
    assert not Case.objects.filter(root_cause_at__gt=now).exists()
    assert not CaseAction.objects.filter(created_at__gt=now).exists()
    assert not Concern.objects.filter(received_at__gt=now).exists()


@pytest.mark.django_db
def test_most_living_alone_elders_have_an_emergency_contact_with_a_valid_phone(demo):
    from jinlin.core.idnumber import normalise_phone
    from jinlin.people.models import EmergencyContact

    elders = set(
        GroupMembership.objects.filter(group="living_alone", ended_on__isnull=True).values_list(
            "resident_id", flat=True
        )
    )
    contacts = list(EmergencyContact.objects.all())
    covered = {c.resident_id for c in contacts}
    assert covered <= elders
    assert len(covered) / len(elders) > 0.6
    assert any(c.holds_key for c in contacts)
    assert all(normalise_phone(c.phone) == c.phone for c in contacts)
