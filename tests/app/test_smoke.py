def test_home_pages_render_for_every_role(world, login, client):
    for user in (world.home.student_user, world.home.counsellor, world.home.company_user,
                 world.home.coordinator, world.admin):
        login(user)
        response = client.get("/home")
        assert response.status_code == 200, (user.role, response.data[:500])
