from django.apps import AppConfig


class InquiriesConfig(AppConfig):
    name = "inquiries"
    verbose_name = "Benefits inquiries"

    def ready(self) -> None:
        from inquiries import checks  # noqa: F401 - registers the startup checks
