from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "civsam.accounts"
    label = "accounts"
    verbose_name = _("Konton och roller")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .personal_data import register
        from .selectors import account_personal_data
        from .signals import session_record

        register("accounts", export=account_personal_data)
        # Every login, by password, e-ID or the admin, starts a session the person can see and end.
        user_logged_in.connect(session_record, dispatch_uid="civsam-accounts-session-record")
