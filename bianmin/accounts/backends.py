"""Sign in with a username or a mobile number (matched through its keyed hash)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from bianmin.core.crypto import pii_hash
from bianmin.core.validators import MOBILE_RE


class UsernameOrMobileBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and MOBILE_RE.fullmatch(username.strip()):
            user = get_user_model().objects.filter(mobile_hash=pii_hash(username.strip())).first()
            if user and user.check_password(password) and self.user_can_authenticate(user):
                return user
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
