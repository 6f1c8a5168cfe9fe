"""The map's HTTP API: the layer list and one GeoJSON endpoint per registered layer."""
