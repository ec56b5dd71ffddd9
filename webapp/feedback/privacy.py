"""The survey's part of a person's export and erasure (registered with `registration.privacy`)."""

from __future__ import annotations

from webapp.feedback import services
from webapp.registration import privacy

privacy.on_export("feedback", services.exported)
privacy.on_erase(services.forget)
