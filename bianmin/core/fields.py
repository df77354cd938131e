"""An encrypted text field: the model sees plaintext, the database holds SM4-GCM ciphertext."""

from django.db import models

from bianmin.core.crypto import pii_decrypt, pii_encrypt


class EncryptedTextField(models.TextField):
    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return pii_decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return pii_encrypt(value)
