from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "ficshelf.imports"
    label = "imports"
