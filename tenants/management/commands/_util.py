from django.core.exceptions import ValidationError
from django.core.management.base import CommandError


def validation_to_command_error(exc: ValidationError) -> CommandError:
    """Turn a service's ValidationError into a clean one-screen CLI error (no stack trace)."""
    if hasattr(exc, "message_dict"):
        lines = [
            f"  {field}: {message}"
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        lines = [f"  {message}" for message in exc.messages]
    return CommandError("the brand could not be provisioned:\n" + "\n".join(lines))
