"""The matching library: plain data in, plain data out.

It never imports Flask, the app or the database, so it can be tested and benchmarked alone.
"""
