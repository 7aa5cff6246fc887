from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager


class UserManager(BaseUserManager):
    """Accounts are identified by their email address; there is no username."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class Organisation(models.Model):
    """A gemeente or partner organisation whose people take part in journeys."""

    class Kind(models.TextChoices):
        GEMEENTE = "gemeente", _("municipality")
        WELZIJN = "welzijn", _("social welfare")
        ZORG = "zorg", _("care")
        ONDERWIJS = "onderwijs", _("education")
        KENNISINSTELLING = "kennisinstelling", _("knowledge institution")
        BEDRIJF = "bedrijf", _("business")
        INWONERSINITIATIEF = "inwonersinitiatief", _("residents' initiative")

    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, db_index=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    username = None
    email = models.EmailField(_("email address"), unique=True)
    # The member profile: what other members see next to the name.
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    job_title = models.CharField(
        _("role"),
        max_length=120,
        blank=True,
        help_text=_("For example: beleidsadviseur, wijkverpleegkundige, onderzoeker."),
    )
    handle = models.SlugField(
        _("handle"),
        max_length=50,
        unique=True,
        null=True,
        blank=True,
        help_text=_("How others mention you in the forums: @handle."),
    )
    expertise = TaggableManager(
        verbose_name=_("expertise themes"),
        blank=True,
        help_text=_("Themes you know about, separated by commas."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["first_name", "last_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        if not self.handle:
            self.handle = self._free_handle()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "handle"}
        super().save(*args, **kwargs)

    def _free_handle(self) -> str:
        """rosa-verhoeven, or rosa-verhoeven-2 when that one is taken."""
        from django.utils.text import slugify

        base = slugify(self.get_full_name() or self.email.split("@", 1)[0])[:40].strip("-")
        base = base if len(base) >= 3 else f"lid-{base}".strip("-")
        handle, n = base, 2
        while User.objects.filter(handle=handle).exclude(pk=self.pk).exists():
            handle, n = f"{base}-{n}", n + 1
        return handle

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email.split("@", 1)[0]


class AuditEntry(models.Model):
    """One thing someone did that the platform keeps a record of. Written by services."""

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty when the platform itself acted (demo data, scheduled tasks)."),
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    data = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"
