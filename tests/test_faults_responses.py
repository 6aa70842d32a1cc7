"""A request that loses the database gets a 503 with a Chinese message, not a bare 500.

The real outage (PostgreSQL stopped under gunicorn) is tests/test_faults_stack.py;
this checks the answer itself on any database, by failing every query the way a
dropped connection does.
"""

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper


@pytest.fixture
def database_gone(db):
    def execute(self, *args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    # Its own patch, undone before the test database is rolled back.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(CursorWrapper, "execute", execute)
        patch.setattr(CursorWrapper, "executemany", execute)
        yield


def test_a_page_without_its_database_is_a_503_in_chinese(client, db, database_gone):
    client.raise_request_exception = False
    response = client.get("/catalogs/public/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "数据库暂时无法连接，请稍后重试。" in response.content.decode()


def test_the_api_without_its_database_is_a_503_with_a_code(client, db, database_gone):
    client.raise_request_exception = False
    response = client.get("/api/v1/catalogues/")
    assert response.status_code == 503
    assert response.json() == {"detail": "数据库暂时无法连接，请稍后重试。", "code": "database_unavailable"}


def test_other_errors_stay_500(rf):
    from villageburden.health import server_error

    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        response = server_error(rf.get("/catalogs/public/"))
    assert response.status_code == 500
