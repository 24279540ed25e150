"""Property-based fuzzing of every operation in the OpenAPI schema against the real server.

No generated request may produce a 5xx or hang; every JSON error keeps the one error shape.
The number of cases per operation is bounded for CI (FAQBOT_FUZZ_EXAMPLES raises it for a
long run). Operations are driven in a loop rather than through schemathesis' pytest plugin,
whose lazy fixture loader does not work with pytest 9.
"""

from __future__ import annotations

import os

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from security_support import ADMIN

EXAMPLES = int(os.environ.get("FAQBOT_FUZZ_EXAMPLES", "20"))
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,  # the same cases on every CI run, so a failure reproduces
    database=None,
    # No shrinking: it can take minutes per failing operation; the report names the raw case.
    phases=[Phase.explicit, Phase.generate],
)


def check_case(case: schemathesis.Case, live_url: str) -> None:
    # Operator routes are fuzzed with the admin token so that generated input reaches past auth.
    response = case.call(base_url=live_url, headers=ADMIN, timeout=15)
    case.validate_response(response, checks=[not_a_server_error])
    is_json = response.headers.get("content-type", [""])[0].startswith("application/json")
    if response.status_code >= 400 and is_json:
        error = response.json()["error"]
        assert {"code", "message", "message_en"} <= set(error), response.text


def test_every_operation_survives_generated_input(live_url: str) -> None:
    schema = schemathesis.openapi.from_url(f"{live_url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10, "the schema lost its operations"
    failures: list[str] = []
    for operation in operations:

        @FUZZ_SETTINGS
        @given(case=operation.as_strategy())
        def fuzz(case: schemathesis.Case) -> None:
            check_case(case, live_url)

        try:
            fuzz()
        except (Exception, FailureGroup) as exc:  # collect every operation's failure, not the first only
            failures.append(f"{operation.method.upper()} {operation.path}: {exc!r}"[:2000])
    assert not failures, "\n\n".join(failures)
