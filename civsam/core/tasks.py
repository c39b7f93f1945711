"""Background tasks shared by every app (django-tasks; a worker runs them, see docs/adr/0049-*)."""

from __future__ import annotations

from django.apps import apps
from django_tasks import task


@task()
def render_file(model_label: str, pk: int) -> str:
    """Render one queued civsam.core.models.RenderedFile row (a report's PDF)."""
    from .services import rendered_file_render

    return rendered_file_render(model=apps.get_model(model_label), pk=pk)
