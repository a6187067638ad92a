"""The benchmark harness of `make bench` (`python -m bench`): see docs/benchmarks.md.

In-process and single-threaded: Django's test `Client` (signed in with `force_login`) requests
each page of `bench.benchmarks.BENCHMARKS` on the largest and the smallest generated
cooperative, and prints latency percentiles and query counts. Nothing is asserted: the point
is to see the figures, and that query counts do not grow with the data.
"""
