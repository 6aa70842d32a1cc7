"""Suite-wide test settings."""


def pytest_configure(config):
    from django.conf import settings

    # Hashing with PBKDF2 for a cast of thirteen users per test costs seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
