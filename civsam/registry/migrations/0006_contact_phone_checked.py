"""Contact persons' telephone numbers are checked and stored as E.164 (registry/phone.py).

Numbers already stored are rewritten as E.164 where they read as one. Those that do not are kept
exactly as written and flagged (phone_needs_correction), so nothing is lost: staff see them marked
on the contacts page, and the flag goes when someone gives a valid number. The check constraint
lets a flagged row keep its old text.
"""

from django.db import migrations, models

from civsam.registry import phone


def check_numbers(apps, schema_editor):
    ContactPerson = apps.get_model("registry", "ContactPerson")
    rows = ContactPerson.objects.exclude(phone="").only("pk", "phone").order_by("pk")
    changed = []
    for contact in rows.iterator(chunk_size=2000):
        try:
            normalised = phone.normalise(contact.phone)
        except phone.PhoneError:
            contact.phone_needs_correction = True
        else:
            if normalised == contact.phone:
                continue
            contact.phone = normalised
        changed.append(contact)
        if len(changed) >= 2000:
            ContactPerson.objects.bulk_update(changed, ["phone", "phone_needs_correction"])
            changed = []
    ContactPerson.objects.bulk_update(changed, ["phone", "phone_needs_correction"])


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_drop_redundant_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="contactperson",
            name="phone_needs_correction",
            field=models.BooleanField(default=False, editable=False, verbose_name="telefonnumret behöver rättas"),
        ),
        # Stored numbers become E.164 or are flagged; reversing leaves them as they are now.
        migrations.RunPython(check_numbers, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="contactperson",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("phone", ""),
                    ("phone__regex", "^\\+[1-9][0-9]{6,14}$"),
                    ("phone_needs_correction", True),
                    _connector="OR",
                ),
                name="contact_phone_e164",
            ),
        ),
    ]
