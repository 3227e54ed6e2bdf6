from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0003_agreements_parties_from_organisation"),
    ]

    operations = [
        migrations.RemoveField(model_name="agreement", name="organisation"),
        migrations.AlterField(
            model_name="agreement",
            name="reference",
            field=models.CharField(max_length=40, unique=True, verbose_name="reference"),
        ),
    ]
