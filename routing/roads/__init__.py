"""Roads: OpenStreetMap reading, travel profiles, road graphs, the area cache, snapping and
travel-time matrices. The only package that imports osmnx or osmium."""
