"""Content of the demo catalog of Longhu district (items, certificates), kept apart from the code that loads it."""
