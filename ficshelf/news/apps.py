from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "ficshelf.news"
    label = "news"
    verbose_name = "News"
