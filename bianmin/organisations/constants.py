from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    DISTRICT = "district", _("区县")
    STREET = "street", _("街道乡镇")
    COMMUNITY = "community", _("社区村")


class DepartmentKind(models.TextChoices):
    GOVERNMENT = "government", _("政府工作部门")
    STREET_OFFICE = "street_office", _("街道办事处")
    VERTICAL = "vertical", _("垂直管理单位")
    INSTITUTION = "institution", _("事业单位")
    OTHER = "other", _("其他")


class HallKind(models.TextChoices):
    DISTRICT_CENTRE = "district_centre", _("区政务服务中心")
    STREET_HALL = "street_hall", _("街道政务服务中心")
    COMMUNITY_STATION = "community_station", _("社区便民服务站")


class WindowKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("综合窗口")
    SPECIAL = "special", _("专业窗口")
    PICKUP = "pickup", _("出件窗口")
    CONSULTATION = "consultation", _("咨询窗口")
