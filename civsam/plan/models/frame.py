"""The wider frame the plan names: the regional development strategy (its priority areas, strategic
directions and desirable positions for 2030), the Region's other strategies and the Agenda 2030
goals. Tags on the plan's areas and on initiatives; loaded as reference data (ADR 0122)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civsam.core.models import BilingualNameMixin


class FrameTag(BilingualNameMixin):
    class Kind(models.TextChoices):
        RUS_PRIORITY = "rus_priority", _("Prioriterat område i den regionala utvecklingsstrategin")
        RUS_DIRECTION = "rus_direction", _("Strategisk inriktning i den regionala utvecklingsstrategin")
        RUS_POSITION = "rus_position", _("Önskvärt läge 2030 i den regionala utvecklingsstrategin")
        STRATEGY = "strategy", _("Annan regional strategi")
        SDG = "sdg", _("Mål i Agenda 2030")

    kind = models.CharField(_("typ"), max_length=16, choices=Kind.choices)
    code = models.SlugField(_("kod"), max_length=40, unique=True)
    number = models.PositiveSmallIntegerField(_("nummer"), null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("hör till"),
    )
    source = models.CharField(_("källa"), max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)
    # What the last reference load wrote of the fields the file owns: a field that still holds it
    # follows the file, any other is the coordinator's and the load reports the difference (ADR 0108).
    reference_values = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("ramverkstagg")
        verbose_name_plural = _("ramverkstaggar")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="sdg") | Q(number__gte=1, number__lte=17), name="frame_tag_sdg_number_1_17"
            ),
            models.UniqueConstraint(fields=["kind", "number"], condition=Q(kind="sdg"), name="frame_tag_sdg_unique"),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.SDG and self.number:
            return f"{self.number}. {self.name}"
        return self.name
