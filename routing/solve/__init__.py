"""Solving: the vehicle-routing search that assigns stops to drivers, and the reasons and
fixes for every stop it could not place. The only package that imports ortools or pyvrp."""
