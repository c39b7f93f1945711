from civsam.accounts.tests.test_password import *
def test_x(client, person):
    client.force_login(person)
    r = client.post(reverse("account_change_password"), {"oldpassword": "fel", "password1": NEW, "password2": NEW})
    import re
    print(re.findall(r'<div class="error-summary".*?</div>', r.content.decode(), re.S))
    r = client.post(reverse("account_change_password"), {"oldpassword": OLD, "password1": "12345", "password2": "12345"})
    print(re.findall(r'<div class="error-summary".*?</div>', r.content.decode(), re.S))
