"""Argon2 for the tests: the archive's own hasher and parameters, each distinct hash computed
once per test session. Argon2 is slow on purpose (about 0.2 s a hash on the CI machine, and the
suite makes thousands of accounts with one password), so the tests give every account the same
salt and remember each hash and each check: the stored hashes are real Argon2 hashes, checked
by the real library the first time each (password, hash) pair is seen."""

from django.contrib.auth.hashers import Argon2PasswordHasher

_encoded: dict[tuple, str] = {}
_verified: dict[tuple[str, str], bool] = {}


class RememberingArgon2PasswordHasher(Argon2PasswordHasher):
    def salt(self) -> str:
        return "ficshelftestsalt"

    def encode(self, password, salt):
        key = (password, salt, self.time_cost, self.memory_cost, self.parallelism)
        if key not in _encoded:
            _encoded[key] = super().encode(password, salt)
        return _encoded[key]

    def verify(self, password, encoded):
        key = (password, encoded)
        if key not in _verified:
            _verified[key] = super().verify(password, encoded)
        return _verified[key]
