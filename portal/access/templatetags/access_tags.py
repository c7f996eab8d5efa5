from django import template

from portal.access import policy

register = template.Library()


@register.simple_tag(takes_context=True)
def restricted_panel_context(context, item) -> dict:
    """What the restricted panel shows for `item` to this request's user."""
    from portal.access.views import request_access_url

    request = context["request"]
    audience = policy.audience_for(request)
    user = request.user
    needs_otp = policy.needs_second_factor(user) and not policy.audience_is_complete(request)
    return {
        "explanation": policy.explain(audience, item),
        "needs_otp": needs_otp,
        "request_url": request_access_url(item) if user.is_authenticated else "",
    }


@register.simple_tag(takes_context=True)
def files_open(context, item) -> bool:
    """`{% files_open item as open %}`: may this request's user open the files of `item`?"""
    return policy.can_open_files(policy.audience_for(context["request"]), item)


@register.simple_tag(takes_context=True)
def record_visible(context, item) -> bool:
    return policy.can_see_record(policy.audience_for(context["request"]), item)
