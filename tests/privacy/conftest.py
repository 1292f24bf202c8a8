from tests.workflows.conftest import in_services, new_case  # noqa: F401 (fixtures shared with the workflow tests)
