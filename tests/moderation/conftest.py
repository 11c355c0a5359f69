# The posting form's data, as tests/works fills it in (the suspension tests post with it).
from tests.works.conftest import work_form  # noqa: F401
