from django.apps import AppConfig


class BetaReaderConfig(AppConfig):
    name = "ficshelf.betareader"
    label = "betareader"
    verbose_name = "Beta reader"
