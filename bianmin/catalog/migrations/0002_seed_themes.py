"""Reference data: the themes (life events for people, stages for enterprises) to browse the catalog by."""

from django.db import migrations

PERSON_THEMES = [
    ("birth_adoption", "生育收养"),
    ("household_registration", "户籍办理"),
    ("education", "教育科研"),
    ("employment_business", "就业创业"),
    ("social_security", "社会保障"),
    ("marriage", "婚姻登记"),
    ("housing", "住房保障"),
    ("medical_health", "医疗卫生"),
    ("social_assistance", "社会救助"),
    ("disability", "残疾人服务"),
    ("elderly_care", "养老服务"),
    ("veterans", "退役军人"),
    ("transport", "交通出行"),
    ("culture_sports", "文化体育"),
    ("civil_affairs", "民政事务"),
    ("death_funeral", "死亡殡葬"),
]

LEGAL_THEMES = [
    ("establishment_change", "设立变更"),
    ("operating_permits", "准营准办"),
    ("investment_projects", "投资立项"),
    ("construction", "工程建设"),
    ("land_planning", "用地规划"),
    ("tax_finance", "税费办理"),
    ("human_resources", "人力资源"),
    ("quality_safety", "质量安全"),
    ("environmental_protection", "环境保护"),
    ("urban_management", "市政设施"),
    ("culture_tourism", "文化旅游"),
    ("deregistration", "注销退出"),
]


def seed(apps, schema_editor):
    Theme = apps.get_model("catalog", "Theme")
    for audience, themes in (("person", PERSON_THEMES), ("legal", LEGAL_THEMES)):
        for order, (code, name) in enumerate(themes, start=1):
            Theme.objects.update_or_create(
                code=code, defaults={"name": name, "audience": audience, "order": order * 10}
            )


def unseed(apps, schema_editor):
    Theme = apps.get_model("catalog", "Theme")
    Theme.objects.filter(code__in=[c for c, _n in PERSON_THEMES + LEGAL_THEMES]).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
