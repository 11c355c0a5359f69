from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ficshelf.accounts"
    label = "accounts"
    verbose_name = "Accounts and pseuds"

    def ready(self) -> None:
        from . import sessions

        sessions.connect()
