"""Reads of governance used by services, pages, the API and other apps, one module per subject;
the public names are re-exported here (`from governance import selectors`). `pages` holds what
the vote and committee pages show (`from governance.selectors import pages`)."""

from governance.selectors.votes import (  # noqa: F401
    roll_entry_for, turnout, turnout_from_counts, with_turnout_counts, published_ballots, votes_for_worker,
    open_resolutions, certified_resolutions, votes_waiting,
)
from governance.selectors.people import (  # noqa: F401
    NAME_SEARCH_LIMIT, owners, committee_workers, PEOPLE, people_matching, people_named, people_labels,
)
from governance.selectors.board import (  # noqa: F401
    MajorityStatus, terms_on, majority_status, documents_for, RECENT_DOCUMENT_DAYS, BoardHome, board_home,
)
from governance.selectors.figures import (  # noqa: F401
    counted_elections, counted_resolutions,
)
