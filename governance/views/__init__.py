"""Pages of governance: staff and board pages (elections, resolutions, the board,
committees, documents) and the worker-owner portal (my votes, ballots, receipts, results).

Objects named in URLs come from the scoped managers, so another co-op's object is a 404.
No page ever shows who voted how: ballots have no link to a voter (governance/models.py).
"""
