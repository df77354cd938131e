"""Choice labels written into stored text, shown in the reader's language.

A timeline note records the channel or the kind as the desk saw it ("网站", "投诉 · 食品安全"), and a rating
invitation's label starts with what was served ("办件 4405…"): the text is stored once, in Chinese (the source
language), and read in Chinese or English. relabel() swaps the first word that is one of the given choices'
Chinese labels for that label in the active language; other words (names, titles, numbers) are data and stay.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.utils import translation


@cache
def _labels_by_source(choices) -> dict[str, object]:
    with translation.override(settings.LANGUAGE_CODE):  # the msgids: Chinese is the source language
        return {str(label): label for _value, label in choices.choices}


def relabel(text: str, choices) -> str:
    """The text with its first word that is a label of `choices` (as stored, in Chinese) in the active language."""
    labels = _labels_by_source(choices)
    words = (text or "").split(" ")
    for index, word in enumerate(words):
        if word in labels:
            words[index] = str(labels[word])
            return " ".join(words)
    return text or ""
