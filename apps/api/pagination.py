"""Page-number pagination with a hard ceiling on the page size."""

from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    # A client cannot ask for more than this in one page, whatever it sends.
    max_page_size = 500
