from django.urls import register_converter

from bianmin.licences.identifiers import IDENTIFIER_URL_REGEX


class LicenceIdentifierConverter:
    """URL part for e-licence identifiers, which contain dots."""

    regex = IDENTIFIER_URL_REGEX

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(LicenceIdentifierConverter, "licence_id")
