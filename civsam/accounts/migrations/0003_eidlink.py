import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='EidLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('pnr_hash', models.CharField(editable=False, max_length=64, verbose_name='nycklad kontrollsumma av personnumret')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='kopplad')),
                ('last_used_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='senast använd')),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='eid_link', to=settings.AUTH_USER_MODEL, verbose_name='användare')),
            ],
            options={
                'verbose_name': 'koppling till e-legitimation',
                'verbose_name_plural': 'kopplingar till e-legitimation',
                'constraints': [models.UniqueConstraint(fields=('pnr_hash',), name='eid_link_one_account_per_person'), models.CheckConstraint(condition=models.Q(('pnr_hash__regex', '^[0-9a-f]{64}$')), name='eid_link_hash_is_sha256_hex')],
            },
        ),
    ]
