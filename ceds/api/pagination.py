from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


def _positive_int(request, name: str, high: int | None = None) -> int | None:
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if str(value) != raw.strip() or value < 1 or (high is not None and value > high):
        limit = _("a whole number from 1 to %(high)s") % {"high": high} if high else _("a whole number from 1")
        raise ValidationError({name: [_("Give %(limit)s.") % {"limit": limit}]})
    return value


class Pagination(PageNumberPagination):
    """`?page=2&page_size=100`; lists are ordered on a unique key, so pages never overlap.

    A page size or page number that is not a whole number in range is a 400 naming it (a page
    past the last one is a 404)."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        return _positive_int(request, self.page_size_query_param, self.max_page_size) or self.page_size

    def paginate_queryset(self, queryset, request, view=None):
        _positive_int(request, self.page_query_param)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response_schema(self, schema):
        result = super().get_paginated_response_schema(schema)
        result["required"] = ["count", "next", "previous", "results"]
        return result

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size, "default": 50}
            elif parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
        return parameters
