"""Issue 19, one ninja Router per web app: ``web/api.py`` keeps the API object, auth and error handling and mounts
a ``router`` from each app's ``api.py``; the endpoints moved there keep every path and method, which phones with
queued offline data call (the list below is the schema's as it was before the split)."""

from __future__ import annotations

import importlib

import pytest
from ninja import Router

from kawal.web.api import api

# (path, method) of every operation, as published before the endpoints left web/api.py.
CONTRACT = {
    ("/api/v1/findings", "get"),
    ("/api/v1/incidents/evidence", "post"),
    ("/api/v1/incidents/reports", "get"),
    ("/api/v1/incidents/reports", "post"),
    ("/api/v1/lists", "get"),
    ("/api/v1/photos", "post"),
    ("/api/v1/sample-units/{unit_id}/observations", "post"),
    ("/api/v1/summary", "get"),
    ("/api/v1/tally", "get"),
    ("/api/v1/tasks", "get"),
    ("/api/v1/tasks/{task_id}/visits", "post"),
    ("/api/v1/tps/{election_id}/{kode_tps}/entries", "post"),
    ("/api/v1/voters/{voter_id}", "get"),
}

# The schemas clients send and receive, by the names the OpenAPI document gives them.
SCHEMAS = {
    "CheckSchema",
    "EntryReceipt",
    "EntrySchema",
    "EvidenceReceipt",
    "EvidenceRef",
    "FindingFilters",
    "FindingOut",
    "FindingPage",
    "NewVoterSchema",
    "ObservationReceipt",
    "ObservationSchema",
    "PhotoReceipt",
    "PhotoRefSchema",
    "ReportPayload",
    "ReportReceipt",
    "Summary",
    "TaskOut",
    "VisitReceipt",
    "VisitSchema",
    "VoterListOut",
    "VoterOut",
}

# app → (mount prefix, the full paths and methods its router answers)
ROUTERS = {
    "voters": (
        "",
        {
            ("/api/v1/lists", "get"),
            ("/api/v1/findings", "get"),
            ("/api/v1/voters/{voter_id}", "get"),
            ("/api/v1/summary", "get"),
        },
    ),
    "field": ("", {("/api/v1/tasks", "get"), ("/api/v1/tasks/{task_id}/visits", "post")}),
    "photos": ("", {("/api/v1/photos", "post")}),
    "sampling": ("", {("/api/v1/sample-units/{unit_id}/observations", "post")}),
    "results": ("", {("/api/v1/tps/{election_id}/{kode_tps}/entries", "post")}),
    "public": ("", {("/api/v1/tally", "get")}),
    "incidents": (
        "/incidents",
        {
            ("/api/v1/incidents/reports", "get"),
            ("/api/v1/incidents/reports", "post"),
            ("/api/v1/incidents/evidence", "post"),
        },
    ),
}


def _pairs(schema: dict) -> set[tuple[str, str]]:
    return {(path, method) for path, operations in schema["paths"].items() for method in operations}


def test_the_published_paths_and_methods_are_the_contract() -> None:
    schema = api.get_openapi_schema()
    assert _pairs(schema) == CONTRACT
    assert set(schema["components"]["schemas"]) == SCHEMAS


def test_the_served_schema_is_the_same(client) -> None:
    served = client.get("/api/v1/openapi.json")
    assert served.status_code == 200
    assert _pairs(served.json()) == CONTRACT


def test_only_the_public_tally_is_open() -> None:
    operations = api.get_openapi_schema()["paths"]
    open_ = {(p, m) for p, ops in operations.items() for m, op in ops.items() if not op.get("security")}
    assert open_ == {("/api/v1/tally", "get")}
    signed_in = [{"BearerToken": []}, {"SessionAuth": []}]
    assert all(op["security"] == signed_in for ops in operations.values() for op in ops.values() if op.get("security"))


@pytest.mark.parametrize("app", sorted(ROUTERS))
def test_each_app_has_its_router_mounted_and_answering_its_paths(app: str) -> None:
    module = importlib.import_module(f"kawal.web.{app}.api")
    router = module.router
    assert isinstance(router, Router)
    prefix, expected = ROUTERS[app]
    assert (prefix, router) in [(p, r) for p, r in api._routers]  # mounted once, at that prefix
    assert [r for _p, r in api._routers].count(router) == 1
    answered = {
        (f"/api/v1{prefix}{path}", method.lower())
        for path, view in router.path_operations.items()
        for operation in view.operations
        for method in operation.methods
    }
    assert answered == expected
    assert all(
        operation.view_func.__module__ == module.__name__
        for view in router.path_operations.values()
        for operation in view.operations
    )


def test_the_routers_cover_the_whole_api_and_web_api_keeps_no_endpoint() -> None:
    assert api.default_router.path_operations == {}  # every endpoint lives in an app's router
    assert set().union(*(paths for _prefix, paths in ROUTERS.values())) == CONTRACT
