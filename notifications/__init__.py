"""Notifications a worker can choose: email (and SMS where the co-op turns it on) about
their shifts, pay, votes, credentials and candidacy; sent once, opted out per kind and
channel, with a one-click unsubscribe link in every email. See docs/notifications.md."""
