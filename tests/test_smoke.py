def test_world_builds(world):
    assert world.resident.compound_id == world.compound_a.pk
    assert world.resident.name_initials == "zjg"
