"""django-allauth's pages on Swedish paths under /konto/, with the URL names allauth reverses
(ADR 0080). Only the flows Civsam uses are here: password login, sign-up with a verified e-mail
address, one address changed only once the new one is verified, password change and reset by a
link, the authenticator app or a security key (WebAuthn, ADR 0114) with recovery codes, and the
list of sessions. The pages that show the account's own data are marked personal_data (never
stored by a cache, ADR 0085)."""

from allauth.account import views as account
from allauth.mfa.base import views as mfa
from allauth.mfa.recovery_codes import views as recovery_codes
from allauth.mfa.totp import views as totp
from allauth.mfa.webauthn import views as webauthn
from allauth.usersessions import views as usersessions
from django.urls import path, re_path
from django.views.decorators.http import require_POST

from civsam.core.privacy import personal_data

urlpatterns = [
    path("logga-in/", account.login, name="account_login"),
    path("logga-ut/", require_POST(account.logout), name="account_logout"),
    path("registrera/", account.signup, name="account_signup"),
    path("inaktivt/", account.account_inactive, name="account_inactive"),
    path("bekrafta-att-det-ar-du/", account.reauthenticate, name="account_reauthenticate"),
    path("e-post/", personal_data(account.email), name="account_email"),
    path("e-post/bekrafta/", account.email_verification_sent, name="account_email_verification_sent"),
    re_path(r"^e-post/bekrafta/(?P<key>[-:\w]+)/$", account.confirm_email, name="account_confirm_email"),
    path("losenord/", personal_data(account.password_change), name="account_change_password"),
    path("losenord/nytt/", personal_data(account.password_set), name="account_set_password"),
    path("losenord/glomt/", account.password_reset, name="account_reset_password"),
    path("losenord/glomt/skickat/", account.password_reset_done, name="account_reset_password_done"),
    re_path(
        r"^losenord/glomt/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        account.password_reset_from_key,
        name="account_reset_password_from_key",
    ),
    path("losenord/bytt/", account.password_reset_from_key_done, name="account_reset_password_from_key_done"),
    path("tvafaktor/", personal_data(mfa.index), name="mfa_index"),
    path("tvafaktor/kod/", mfa.authenticate, name="mfa_authenticate"),
    path("tvafaktor/bekrafta/", mfa.reauthenticate, name="mfa_reauthenticate"),
    path("tvafaktor/app/aktivera/", personal_data(totp.activate_totp), name="mfa_activate_totp"),
    path("tvafaktor/app/inaktivera/", personal_data(totp.deactivate_totp), name="mfa_deactivate_totp"),
    path("tvafaktor/reservkoder/", personal_data(recovery_codes.view_recovery_codes), name="mfa_view_recovery_codes"),
    path(
        "tvafaktor/reservkoder/nya/",
        personal_data(recovery_codes.generate_recovery_codes),
        name="mfa_generate_recovery_codes",
    ),
    path(
        "tvafaktor/reservkoder/ladda-ner/",
        personal_data(recovery_codes.download_recovery_codes),
        name="mfa_download_recovery_codes",
    ),
    path("tvafaktor/nycklar/", personal_data(webauthn.list_webauthn), name="mfa_list_webauthn"),
    path("tvafaktor/nycklar/ny/", personal_data(webauthn.add_webauthn), name="mfa_add_webauthn"),
    path("tvafaktor/nycklar/bekrafta/", webauthn.reauthenticate_webauthn, name="mfa_reauthenticate_webauthn"),
    path("tvafaktor/nycklar/<int:pk>/ta-bort/", personal_data(webauthn.remove_webauthn), name="mfa_remove_webauthn"),
    path("tvafaktor/nycklar/<int:pk>/namn/", personal_data(webauthn.edit_webauthn), name="mfa_edit_webauthn"),
    path("sessioner/", personal_data(usersessions.list_usersessions), name="usersessions_list"),
]
