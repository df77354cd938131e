import pytest

from tests.factories import CitizenFactory, HallFactory, StaffFactory

LOGIN_BACKEND = "bianmin.accounts.backends.UsernameOrMobileBackend"


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user, backend=LOGIN_BACKEND)
        return client

    return _login


@pytest.fixture
def citizen(db):
    return CitizenFactory(username="web-citizen", full_name="陈市民")


@pytest.fixture
def clerk(db):
    return StaffFactory(window_clerk=True, username="web-clerk", full_name="林窗口")


@pytest.fixture
def halls(db):
    return [HallFactory(name=f"测试大厅{n}", address=f"龙湖区测试路{n}号") for n in range(3)]
