# The integration story is run by test_contract.py in a pytest of its own, with the live
# server's address and tokens in its environment and no conftest (it imports nothing of the
# project); the suite itself never collects it.
collect_ignore = ["story"]
