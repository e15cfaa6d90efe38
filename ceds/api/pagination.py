from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """`?page=2&page_size=100`; lists are ordered on a unique key, so pages never overlap."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
