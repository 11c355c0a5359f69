from django.apps import AppConfig


class BetaReaderConfig(AppConfig):
    name = "ficshelf.betareader"
    label = "betareader"
    verbose_name = "Beta reader"

    def ready(self) -> None:
        # What the beta reader adds to works' pages, which never import it (docs/architecture.md).
        from ficshelf.works import extensions, signals

        from . import receivers, views

        extensions.register_text_checker(
            extensions.TextChecker(
                label="Check chapter",
                template="betareader/_form_report.html",
                check=views.check_typed_text,
                report_url=views.report_url,
                live_template="betareader/_live_check.html",
                live_assets="betareader/_live_check_assets.html",
            )
        )
        extensions.register_blurb_notes(views.draft_badges)
        signals.chapter_saved.connect(
            receivers.check_saved_chapter, dispatch_uid="betareader.check_saved_chapter"
        )
        signals.work_changed.connect(
            receivers.recheck_changed_work, dispatch_uid="betareader.recheck_changed_work"
        )
