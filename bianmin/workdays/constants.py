from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    WORKDAY = "workday", _("工作日")
    WEEKEND = "weekend", _("周末")
    HOLIDAY = "holiday", _("法定节假日")
    ADJUSTED_WORKDAY = "adjusted_workday", _("调休上班")


class CalendarStatus(models.TextChoices):
    OFFICIAL = "official", _("正式（国务院公布）")
    PROVISIONAL = "provisional", _("暂定（按法定节日推算）")


# chinese_calendar's English holiday names -> the names used on the State Council's notices.
PACKAGE_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}

# How far ahead a provisional (computed) year is offered: up to the end of the year after next.
PROVISIONAL_YEARS_AHEAD = 2
