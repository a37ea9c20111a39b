from django.contrib import admin

from jinlin.core.admin import AreaScopedAdmin
from jinlin.places import access
from jinlin.places.models import Building, BuildingAdjacency, Compound, Household


@admin.register(Compound)
class CompoundAdmin(AreaScopedAdmin):
    scope_queryset = access.visible_compounds
    list_display = ("name", "area")
    search_fields = ("name",)


@admin.register(Building)
class BuildingAdmin(AreaScopedAdmin):
    scope_queryset = access.visible_buildings
    list_display = ("label", "compound")
    list_filter = ("compound__area",)
    search_fields = ("number", "compound__name")


@admin.register(Household)
class HouseholdAdmin(AreaScopedAdmin):
    scope_queryset = access.visible_households
    list_display = ("__str__", "building")
    search_fields = ("room", "building__number")
    raw_id_fields = ("building",)


@admin.register(BuildingAdjacency)
class BuildingAdjacencyAdmin(AreaScopedAdmin):
    list_display = ("first", "second")
    raw_id_fields = ("first", "second")
    allow_delete = True
