"""A worker's cases are found through indexes on both databases (core.subqueries): the OR of
"the patch's, the worker's own, those the worker has an action in" once made PostgreSQL read
every case of the district and test each against a hashed subplan."""

from django.db import connection

from jinlin.fieldwork.cases.selectors import case_list, visible_cases


def test_a_workers_cases_are_found_through_indexes(case, worker_in):
    for cases in (visible_cases(worker_in), case_list(worker_in, mine=True)):
        plan = cases.filter(status="diagnosing").explain()
        if connection.vendor == "postgresql":
            # The action side runs once before the scan (an InitPlan), then is looked up.
            assert "SubPlan" not in plan and "InitPlan" in plan, plan
        else:
            assert "SCAN fieldwork_case" not in plan and "MULTI-INDEX OR" in plan, plan
    assert list(visible_cases(worker_in)) == [case]
    assert list(case_list(worker_in, mine=True)) == [case]
