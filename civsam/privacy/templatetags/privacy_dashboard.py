"""The data protection part of "Min sida": links to the record of processing, the read-access log
and the staff tool for a person's data, for those who may use them (ADR 0085), so that the site
shell needs only a template line."""

from django import template

from .. import permissions

register = template.Library()


@register.inclusion_tag("privacy/_dashboard.html")
def personal_data_review_panel(user) -> dict:
    if not getattr(user, "is_authenticated", False):
        return {"shown": False}
    can_view_record = permissions.can_view_processing_record(user)
    can_review_read_log = permissions.can_review_read_log(user)
    can_handle_requests = permissions.can_handle_subject_requests(user)
    return {
        "shown": can_view_record or can_review_read_log or can_handle_requests,
        "can_view_record": can_view_record,
        "can_review_read_log": can_review_read_log,
        "can_handle_requests": can_handle_requests,
    }
