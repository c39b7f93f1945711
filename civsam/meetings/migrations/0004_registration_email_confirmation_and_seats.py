# Registrations made without signing in wait for their e-mail address to be confirmed (held with a
# seat, or unconfirmed without one), and every event gets a counter row of seats taken and people
# waiting (ADR 0078, ADR 0079), filled here from the registrations there are.

import django.db.models.deletion
import django.db.models.functions.text
from django.db import migrations, models
from django.db.models import Count, Q

SEAT_HOLDING = ("confirmed", "offered", "held")


def count_seats(apps, schema_editor):
    Event = apps.get_model("meetings", "Event")
    EventSeats = apps.get_model("meetings", "EventSeats")
    counts = Event.objects.annotate(
        taken=Count("registrations", filter=Q(registrations__status__in=SEAT_HOLDING)),
        waiting=Count("registrations", filter=Q(registrations__status="waitlisted")),
    ).values_list("pk", "taken", "waiting")
    EventSeats.objects.bulk_create(
        [EventSeats(event_id=pk, taken=taken, waiting=waiting) for pk, taken, waiting in counts.iterator()],
        batch_size=1000,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0003_event_initiatives'),
    ]

    operations = [
        migrations.CreateModel(
            name='EventSeats',
            fields=[
                ('event', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='seats', serialize=False, to='meetings.event')),
                ('taken', models.PositiveIntegerField(default=0)),
                ('waiting', models.PositiveIntegerField(default=0)),
            ],
            options={
                'verbose_name': 'platser',
                'verbose_name_plural': 'platser',
            },
        ),
        migrations.AddField(
            model_name='registration',
            name='confirm_by',
            field=models.DateTimeField(blank=True, null=True, verbose_name='bekräfta senast'),
        ),
        migrations.AddField(
            model_name='registration',
            name='confirm_token',
            field=models.CharField(blank=True, editable=False, max_length=64, null=True, unique=True),
        ),
        migrations.AlterField(
            model_name='registration',
            name='status',
            field=models.CharField(choices=[('confirmed', 'Bekräftad'), ('waitlisted', 'På väntelistan'), ('offered', 'Erbjuden plats, väntar på svar'), ('awaiting_approval', 'Väntar på godkännande'), ('cancelled', 'Avbokad'), ('declined', 'Ej godkänd'), ('expired', 'Svarstiden gick ut'), ('held', 'Plats reserverad, väntar på bekräftelse av e-postadressen'), ('unconfirmed', 'Väntar på bekräftelse av e-postadressen')], max_length=20, verbose_name='status'),
        ),
        migrations.AddIndex(
            model_name='registration',
            index=models.Index(models.F('event'), django.db.models.functions.text.Lower('email'), name='registration_address_idx'),
        ),
        migrations.AddConstraint(
            model_name='registration',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('confirm_by__isnull', False), ('confirm_token__isnull', False), ('status__in', ['held', 'unconfirmed'])), models.Q(('status__in', ['held', 'unconfirmed']), _negated=True), _connector='OR'), name='unconfirmed_address_has_deadline'),
        ),
        migrations.AddConstraint(
            model_name='registration',
            constraint=models.UniqueConstraint(models.F('event'), django.db.models.functions.text.Lower('email'), condition=models.Q(('status__in', ['held', 'unconfirmed'])), name='one_unconfirmed_registration_per_address'),
        ),
        migrations.RunPython(count_seats, migrations.RunPython.noop),
    ]
