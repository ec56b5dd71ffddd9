"""The web adapter's shared parts: what organiser pages of every domain use."""
