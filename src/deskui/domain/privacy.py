"""Masking of customer personal data (service-standards §8)."""

from __future__ import annotations


def mask_phone(phone: str | None) -> str:
    """138****5678: keep the first three and last four digits."""
    if not phone:
        return ""
    digits = phone.replace(" ", "").replace("-", "")
    if len(digits) <= 7:
        return (
            digits[:1] + "*" * (len(digits) - 2) + digits[-1:]
            if len(digits) > 2
            else "*" * len(digits)
        )
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_email(email: str | None) -> str:
    if not email or "@" not in email:
        return email or ""
    local, domain = email.split("@", 1)
    return f"{local[:1]}***@{domain}"
