"""E-mail over SMTP: STARTTLS (587), implicit TLS (465) or plain (local relays), optional login.

Options: host, port, security (starttls | ssl | none), username, password_env, from, to (list or
comma-separated), to_owners (also mail the alert's touchpoint owners that are e-mail addresses),
timeout, ca_file (trust a private CA), verify (false only for a lab relay).
Updates of one incident carry In-Reply-To/References to the first message, so mail clients show
one thread per incident.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from groundswell.alerts.channels._base import DeliveryFailed, secret
from groundswell.alerts.message import Message
from groundswell.options import PartOptions, check_options
from groundswell.redaction import redact

_DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


def _message_id(thread: str, seq: int, domain: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-." else "-" for c in thread)
    return f"<{safe}.{seq}@{domain}>"


def _addresses(value: Any) -> Any:
    """`to: a@x, b@y` or a list: one address per item."""
    if isinstance(value, str):
        return [a.strip() for a in value.split(",") if a.strip()]
    return value


class EmailOptions(PartOptions):
    """Options of an `email` channel: SMTP with STARTTLS, implicit TLS or none (a local relay)."""

    host: str = Field(default="localhost", description="SMTP server")
    port: int | None = Field(
        default=None, ge=1, le=65535, description="Default: 587, 465 or 25 by `security`"
    )
    security: Literal["starttls", "ssl", "none"] = Field(default="starttls", description="How to encrypt")
    username: str | None = Field(default=None, description="Login name, if the server wants one")
    password_env: str | None = Field(default=None, description="Env var with the password")
    sender: str = Field(default="groundswell@localhost", alias="from", description="From address")
    to: Annotated[list[str], BeforeValidator(_addresses)] = Field(
        default_factory=list, description="Recipients (list or comma-separated)"
    )
    to_owners: bool = Field(default=False, description="Also mail the alert's touchpoint owners")
    ca_file: str | None = Field(default=None, description="Trust this private CA (PEM file)")
    verify: bool = Field(default=True, description="false only for a lab relay")
    timeout: float = Field(default=10.0, gt=0, le=300, description="Seconds per attempt")


class EmailChannel:
    type = "email"
    Options = EmailOptions

    def __init__(self, name: str, options: Mapping[str, Any]) -> None:
        self.name = name
        self.options = check_options(type(self), dict(options))  # typed, with the model's defaults
        self.security = str(self.options.get("security", "starttls")).lower()
        if self.security not in _DEFAULT_PORTS:
            raise ValueError(f"channel {name}: security must be starttls, ssl or none")
        self.host = str(self.options.get("host", "localhost"))
        self.port = int(self.options.get("port", _DEFAULT_PORTS[self.security]))
        self.timeout = float(self.options.get("timeout", 10.0))
        to = self.options.get("to", [])
        self.recipients = [a.strip() for a in (to.split(",") if isinstance(to, str) else to) if a.strip()]
        self.sender = str(self.options.get("from", "groundswell@localhost"))
        self.to_owners = bool(self.options.get("to_owners", False))

    def recipients_for(self, message: Message) -> list[str]:
        """The fixed list, plus the touchpoint owners of the alert when `to_owners` is on."""
        owners = (message.alert or {}).get("owners", []) if self.to_owners else []
        extra = [o for o in owners if "@" in o and o not in self.recipients]
        return [*self.recipients, *dict.fromkeys(extra)]

    def _tls(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=self.options.get("ca_file"))
        if self.options.get("verify", True) is False:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return context

    def build(self, message: Message, recipients: list[str] | None = None) -> EmailMessage:
        mail = EmailMessage()
        domain = self.sender.rpartition("@")[2] or "groundswell"
        mail["Subject"] = message.title
        mail["From"] = self.sender
        mail["To"] = ", ".join(recipients or self.recipients)
        mail["Date"] = formatdate(message.created_at.timestamp(), localtime=False)
        thread = message.thread_id or message.id
        mail["Message-ID"] = (
            _message_id(thread, message.seq, domain)
            if message.thread_id
            else (_message_id(message.id, 0, domain))
        )
        if message.thread_id and message.seq > 0:
            root = _message_id(thread, 0, domain)
            mail["In-Reply-To"] = root
            mail["References"] = root
        mail["X-Groundswell-Delivery"] = message.id
        mail.set_content(message.text(), charset="utf-8")
        for attachment in message.attachments:
            maintype, _, subtype = attachment.content_type.partition("/")
            mail.add_attachment(
                attachment.content(),
                maintype=maintype,
                subtype=subtype or "octet-stream",
                filename=attachment.filename,
            )
        return mail

    def send(self, message: Message, thread_ref: str | None) -> str | None:
        recipients = self.recipients_for(message)
        if not recipients:
            raise DeliveryFailed("option 'to' names no recipient (and no owner is an e-mail address)")
        password = secret(self.options, "password", required=bool(self.options.get("password_env")))
        username = self.options.get("username")
        mail = self.build(message, recipients)
        try:
            if self.security == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=self._tls()
                )
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with smtp:
                if self.security == "starttls":
                    smtp.starttls(context=self._tls())
                if username:
                    smtp.login(str(username), password or "")
                refused = smtp.send_message(mail, from_addr=self.sender, to_addrs=recipients)
        except smtplib.SMTPResponseException as exc:
            raise DeliveryFailed(
                f"SMTP {exc.smtp_code}: {redact(_text(exc.smtp_error), password, urls=True)}"
            ) from None
        except (smtplib.SMTPException, OSError, ssl.SSLError) as exc:
            raise DeliveryFailed(f"{type(exc).__name__}: {redact(str(exc), password, urls=True)}") from None
        if refused:
            raise DeliveryFailed(f"SMTP refused {len(refused)} of {len(recipients)} recipients")
        return str(mail["Message-ID"])

    def close(self) -> None:
        return None


def _text(value: bytes | str) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else value
