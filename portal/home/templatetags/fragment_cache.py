from django import template

from portal.home import fragments

register = template.Library()


class AudienceCacheNode(template.Node):
    def __init__(self, nodelist, name, vary_on):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context):
        request = context.get("request")
        name = self.name.resolve(context)
        parts = [var.resolve(context) for var in self.vary_on]
        return fragments.cached(request, name, parts, lambda: self.nodelist.render(context))


@register.tag
def audience_cache(parser, token):
    """`{% audience_cache "name" var… %}…{% endaudience_cache %}`: the enclosed part, cached per audience.

    Only for parts that show nothing of the reader but what their audience may see (no forms, no CSRF token, no
    name); the values after the name are the part's other inputs (the page, a filter…).
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("'audience_cache' needs a name.")
    nodelist = parser.parse(("endaudience_cache",))
    parser.delete_first_token()
    return AudienceCacheNode(nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]])
