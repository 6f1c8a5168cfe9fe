"""Station pages: public (stations, slots, tools), the resident's own, and the desk."""
