def test_server_answers(neo4j):
    assert neo4j.run("RETURN 1 AS one") == [{"one": 1}]
