from django.utils.translation import gettext_lazy as _

from bianmin.core.exceptions import NotFound, ValidationFailed


class MessageNotFound(NotFound):
    code = "message_not_found"

    def __init__(self, message=None, **kwargs):
        super().__init__(message or _("消息不存在。"), **kwargs)


class MessageInvalid(ValidationFailed):
    code = "message_invalid"
