from tests.imports.conftest import agency  # noqa: F401
from tests.workflows.conftest import new_case  # noqa: F401
