"""Views of resident reports: the resident's pages (public) and the staff console."""
