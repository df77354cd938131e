from django.db import models
from django.utils.translation import gettext_lazy as _

CANONICAL_FORMAT = "bianmin-licence-data/1"
FILE_FORMAT = "bianmin-licence-file/1"
KEYS_FORMAT = "bianmin-seal-keys/1"
SHARE_LINK_MAX_DAYS = 30
SHARE_LINK_DEFAULT_DAYS = 7
MATERIAL_PROVIDER = "licences"


class HolderCodeType(models.TextChoices):
    """持证主体代码类型 (GB/T 36903 附录A: 111 公民身份号码; 统一社会信用代码)."""

    ID_CARD = "id_card", _("公民身份号码")
    USCC = "uscc", _("统一社会信用代码")


class HolderKind(models.TextChoices):
    PERSON = "person", _("自然人")
    ENTERPRISE = "enterprise", _("法人和其他组织")
    ANY = "any", _("不限")


class LicenceStatus(models.TextChoices):
    VALID = "valid", _("有效")
    EXPIRED = "expired", _("已过期")
    REVOKED = "revoked", _("已注销/吊销")
    SUPERSEDED = "superseded", _("已被新版本替代")


class RevocationKind(models.TextChoices):
    CANCELLATION = "cancellation", _("注销")
    REVOCATION = "revocation", _("吊销")


class LicenceSource(models.TextChoices):
    CASE = "case", _("办件办结签发")
    RENEWAL = "renewal", _("延续")
    CHANGE = "change", _("变更")
    IMPORT = "import", _("历史证照导入")
    MANUAL = "manual", _("直接签发")


class FieldKind(models.TextChoices):
    TEXT = "text", _("文本")
    DATE = "date", _("日期")
    NUMBER = "number", _("数字")
    LIST = "list", _("多项")


class VerifyOutcome(models.TextChoices):
    VALID = "valid", _("有效")
    EXPIRED = "expired", _("已过期")
    REVOKED = "revoked", _("已注销/吊销")
    SUPERSEDED = "superseded", _("已被新版本替代")
    TAMPERED = "tampered", _("内容被篡改或签名无效")
    UNKNOWN = "unknown", _("查无此证")
