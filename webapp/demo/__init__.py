"""A fictional demo series modelled on a bi-national NGO exchange meeting."""
