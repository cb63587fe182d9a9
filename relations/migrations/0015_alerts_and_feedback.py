"""E-mail alerts (relations/alerts/), page feedback (relations/feedback/), the office's card
(Settings → Office card) and the standard pages' link to it, and the
"Subscription managers" group: the only one that sees subscribers' addresses in the admin.

As in 0003, the permissions of the new models do not exist yet in a fresh database (Django makes
them after migrating): they are made here with the same codenames.
"""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import relations.alerts.models
from django.conf import settings
from django.db import migrations, models


SUBSCRIPTION_MANAGERS = "Subscription managers"
PERMISSIONS = [
    ("subscriber", ["view", "change", "delete"]),
    ("subscription", ["view", "delete"]),
]


def create_subscription_managers(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    group, _created = Group.objects.get_or_create(name=SUBSCRIPTION_MANAGERS)
    admin_type, _created = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    wanted = [
        Permission.objects.get_or_create(
            content_type=admin_type, codename="access_admin", defaults={"name": "Can access Wagtail admin"}
        )[0]
    ]
    for model, actions in PERMISSIONS:
        content_type, _created = ContentType.objects.get_or_create(app_label="relations", model=model)
        for action in actions:
            wanted.append(
                Permission.objects.get_or_create(
                    content_type=content_type,
                    codename=f"{action}_{model}",
                    defaults={"name": f"Can {action} {model}"},
                )[0]
            )
    group.permissions.set(wanted)


def remove_subscription_managers(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=SUBSCRIPTION_MANAGERS).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('relations', '0013_register_fields_and_sources'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AlertItem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=100, unique=True)),
                ('kind', models.CharField(max_length=20)),
                ('page_id', models.IntegerField(blank=True, null=True)),
                ('area_ids', models.JSONField(default=list)),
                ('agreement_id', models.IntegerField(blank=True, null=True)),
                ('titles', models.JSONField(default=dict)),
                ('summaries', models.JSONField(default=dict)),
                ('urls', models.JSONField(default=dict)),
                ('published_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('fanned_out_at', models.DateTimeField(blank=True, null=True)),
            ],
            options={
                'verbose_name': 'published item',
                'verbose_name_plural': 'published items',
            },
        ),
        migrations.CreateModel(
            name='OfficeCard',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('address', models.TextField(blank=True, help_text='Street, city, postal code; one line each.', verbose_name='address')),
                ('address_fr', models.TextField(blank=True, help_text='Street, city, postal code; one line each.', null=True, verbose_name='address')),
                ('address_en', models.TextField(blank=True, help_text='Street, city, postal code; one line each.', null=True, verbose_name='address')),
                ('telephone', models.CharField(blank=True, max_length=30, validators=[django.core.validators.RegexValidator('^\\+?[0-9 ().-]{6,30}$', 'A telephone number: digits, spaces, +, -, dots and brackets only.')], verbose_name='telephone')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail address')),
                ('hours', models.TextField(blank=True, verbose_name='opening hours')),
                ('hours_fr', models.TextField(blank=True, null=True, verbose_name='opening hours')),
                ('hours_en', models.TextField(blank=True, null=True, verbose_name='opening hours')),
                ('map_url', models.URLField(blank=True, help_text='A link to the office on a map.', verbose_name='map link')),
            ],
            options={
                'verbose_name': 'office card',
            },
        ),
        migrations.AddField(
            model_name='standardpage',
            name='show_office_card',
            field=models.BooleanField(default=False, help_text="Ends the page with a link to the office's contact details (accessibility, privacy).", verbose_name="link to the office's card"),
        ),
        migrations.CreateModel(
            name='PageFeedback',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('helpful', models.BooleanField(verbose_name='useful')),
                ('comment', models.TextField(blank=True, max_length=1000, verbose_name='comment')),
                ('language', models.CharField(choices=[('fr', 'Français'), ('en', 'English')], max_length=8, verbose_name='language')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='received on')),
                ('page', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='feedback', to=settings.WAGTAIL_PAGE_MODEL, verbose_name='page')),
            ],
            options={
                'verbose_name': 'page feedback',
                'verbose_name_plural': 'page feedback',
                'ordering': ['-created_at'],
            },
        ),
        migrations.CreateModel(
            name='Subscriber',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('email', models.EmailField(max_length=254, unique=True, verbose_name='e-mail address')),
                ('language', models.CharField(choices=[('fr', 'Français'), ('en', 'English')], max_length=8, verbose_name='language')),
                ('key', models.CharField(default=relations.alerts.models.new_key, editable=False, max_length=64, unique=True)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='signed up on')),
                ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='confirmed on')),
                ('suspended_at', models.DateTimeField(blank=True, help_text='Set after repeated permanent delivery failures: no more mail goes to this address.', null=True, verbose_name='suspended on')),
                ('permanent_failures', models.PositiveSmallIntegerField(default=0, verbose_name='permanent failures in a row')),
                ('confirmation_due_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('confirmation_attempts', models.PositiveSmallIntegerField(default=0, editable=False)),
                ('unsubscribed_at', models.DateTimeField(blank=True, null=True, verbose_name='left every alert on')),
            ],
            options={
                'verbose_name': 'alert subscriber',
                'verbose_name_plural': 'alert subscribers',
                'ordering': ['-created_at'],
                'indexes': [models.Index(fields=['confirmation_due_at'], name='alerts_confirm_due_idx')],
            },
        ),
        migrations.CreateModel(
            name='Delivery',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('frequency', models.CharField(choices=[('immediate', 'As soon as it is published'), ('daily', 'Daily digest'), ('weekly', 'Weekly digest')], max_length=10)),
                ('status', models.CharField(choices=[('pending', 'pending'), ('sending', 'being sent'), ('sent', 'sent'), ('failed', 'failed')], default='pending', max_length=10)),
                ('due_at', models.DateTimeField()),
                ('attempts', models.PositiveSmallIntegerField(default=0)),
                ('mail_key', models.UUIDField(blank=True, default=None, null=True)),
                ('claimed_at', models.DateTimeField(blank=True, null=True)),
                ('sent_at', models.DateTimeField(blank=True, null=True)),
                ('last_error', models.CharField(blank=True, max_length=300)),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='relations.alertitem')),
                ('subscriber', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='relations.subscriber')),
            ],
            options={
                'verbose_name': 'delivery',
                'verbose_name_plural': 'deliveries',
                'indexes': [models.Index(fields=['status', 'due_at'], name='alerts_delivery_due_idx'), models.Index(fields=['mail_key'], name='alerts_delivery_mail_idx')],
                'constraints': [models.UniqueConstraint(fields=('subscriber', 'item'), name='alerts_one_delivery_per_item')],
            },
        ),
        migrations.CreateModel(
            name='Subscription',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('target', models.CharField(max_length=600, verbose_name='what is followed')),
                ('frequency', models.CharField(choices=[('immediate', 'As soon as it is published'), ('daily', 'Daily digest'), ('weekly', 'Weekly digest')], default='immediate', max_length=10, verbose_name='frequency')),
                ('confirmed', models.BooleanField(default=False, verbose_name='confirmed')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('subscriber', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='subscriptions', to='relations.subscriber')),
            ],
            options={
                'verbose_name': 'alert subscription',
                'verbose_name_plural': 'alert subscriptions',
                'ordering': ['created_at', 'pk'],
                'indexes': [models.Index(fields=['target', 'confirmed'], name='alerts_target_idx')],
                'constraints': [models.UniqueConstraint(fields=('subscriber', 'target'), name='alerts_one_subscription_per_target')],
            },
        ),
        migrations.RunPython(create_subscription_managers, remove_subscription_managers),
    ]
